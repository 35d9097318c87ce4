/**
 * Where the client's services report what they caught and carried on from: a failed snapshot,
 * an instruction that will be retried, a flush that failed while locking. electron-log in the
 * Electron layer; the console (or a test's list) elsewhere. Never candidate text: messages say
 * what failed, errors carry their own message.
 */
export interface Logger {
  warn(message: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  warn: (message, error) =>
    console.warn(`vakt: ${message}${error === undefined ? '' : `: ${describe(error)}`}`),
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A catch handler that logs instead of swallowing: `promise.catch(logged(log, 'what'))`. */
export function logged(logger: Logger, message: string): (error: unknown) => undefined {
  return (error) => {
    logger.warn(message, error);
    return undefined;
  };
}
