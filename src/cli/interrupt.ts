/** Ctrl-C and SIGTERM stop what the command started before the process exits. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  let running = false;
  const handler = (signal: NodeJS.Signals) => {
    if (running) return;
    running = true;
    console.error(`\n${signal}: stopping brokers ...`);
    const forceExit = setTimeout(() => process.exit(130), 15_000);
    cleanup()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(forceExit);
        process.exit(130);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
