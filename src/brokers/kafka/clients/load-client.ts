/**
 * Lazy import of an optional Kafka client (an optional peer dependency): users who do not
 * select a client never load it, and selecting one that is not installed — or whose native
 * part is not built — fails with CLIENT_MISSING and the line that fixes it.
 */
import { AckcheckError, describeError } from '../../../errors.ts';
import type { Runtime, RuntimeOptions } from '../../../runtime/runtime.ts';
import type { BrokerClient } from '../../adapter.ts';

export interface OptionalClient {
  /** npm package name. */
  readonly pkg: string;
  /** Name shown to users ("Confluent's Kafka client"). */
  readonly title: string;
  /** What to do when the package is installed but does not load (e.g. a native binding is missing). */
  readonly brokenHint?: string;
}

const cache = new Map<string, Promise<unknown>>();

/** True when `error` says that `pkg` itself cannot be found (not one of its own imports). */
function isMissing(error: unknown, pkg: string): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && describeError(error).includes(pkg)
  );
}

/**
 * Imports `client.pkg` once per process. `load` does the import itself (a literal specifier,
 * so that bundlers and type checkers see it).
 */
export function loadOptionalClient<T>(client: OptionalClient, load: () => Promise<T>): Promise<T> {
  let loaded = cache.get(client.pkg) as Promise<T> | undefined;
  if (!loaded) {
    loaded = load().catch((error: unknown) => {
      cache.delete(client.pkg);
      if (isMissing(error, client.pkg))
        throw new AckcheckError(
          'CLIENT_MISSING',
          `${client.title} is not installed: run \`npm i ${client.pkg}\` in your project (it is an optional ` +
            'peer dependency of ackcheck), or choose another client.',
          { cause: error },
        );
      throw new AckcheckError(
        'CLIENT_MISSING',
        `${client.title} (${client.pkg}) is installed but does not load: ${describeError(error).split('\n')[0]}.` +
          (client.brokenHint ? ` ${client.brokenHint}` : ''),
        { cause: error },
      );
    });
    cache.set(client.pkg, loaded);
  }
  return loaded;
}

/**
 * A built-in runtime family on an optional client: `runtime()` loads the package first, so that
 * a missing one fails when the worker loads its runtime (before it reports itself started) with
 * CLIENT_MISSING, instead of in every `start()` that the worker retries as a broker outage.
 */
export function optionalClientFamily(family: {
  readonly name: string;
  readonly package: string;
  readonly load: () => Promise<unknown>;
  readonly runtime: (options: RuntimeOptions) => Runtime;
}): BrokerClient {
  return {
    name: family.name,
    package: family.package,
    async runtime(options) {
      await family.load();
      return family.runtime(options);
    },
  };
}
