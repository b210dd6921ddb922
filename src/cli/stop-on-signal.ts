/** What an interrupted process needs of `process`: a way to hear a signal once. */
export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * Resolves with the exit code once SIGINT or SIGTERM has stopped the server: says `${signal}: ${stopping}`,
 * runs `stop`, and gives 0, or 1 (with the reason on stderr) when stopping fails.
 */
export function stopOnSignal(
  stopping: string,
  stop: () => Promise<void>,
  signals: SignalSource = process,
): Promise<number> {
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      process.stdout.write(`${signal}: ${stopping}\n`);
      stop().then(
        () => resolve(0),
        (error: unknown) => {
          process.stderr.write(`stop failed: ${(error as Error).message}\n`);
          resolve(1);
        },
      );
    };
    signals.once('SIGINT', () => shutdown('SIGINT'));
    signals.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
