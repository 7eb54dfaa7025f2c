/** What a broker folder tells start-broker.ts about launching its container. */
export interface ContainerRecipe {
  /** Port the client listener uses inside the container, given the published host port. */
  containerPort(hostPort: number): number;
  entrypoint?: string[];
  command?: string[];
  environment(hostPort: number): Record<string, string>;
  /** Log line that says the broker finished starting. */
  readyLog: RegExp;
  addresses(host: string, port: number): { bootstrapServers?: string[]; amqpUrl?: string };
}
