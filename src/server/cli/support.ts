import { createInterface } from 'node:readline';

import { loadServerConfig } from '../config';
import { migrate, openStorage, type Storage } from '../db/database';

/** A command used wrongly: its message is all the person needs (no stack trace). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Administrative actions from the command line are audited like the dashboard's. */
export const CLI_ACTOR = { actorId: null, actorEmail: 'cli', address: 'local' } as const;

/** Opens the configured database (migrated), runs `run`, closes it. */
export async function withStorage<T>(run: (storage: Storage) => Promise<T>): Promise<T> {
  const config = loadServerConfig();
  const storage = openStorage({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
  });
  try {
    await migrate(storage.db, storage.schema ?? undefined);
    return await run(storage);
  } finally {
    await storage.close();
  }
}

/** A secret from stdin, one line, not echoed on a terminal. */
export function readPassword(prompt = 'Password'): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({
      input: process.stdin,
      output: process.stderr,
      terminal: process.stdin.isTTY,
    });
    if (process.stdin.isTTY) process.stderr.write(`${prompt} (not shown): `);
    // Keep what is typed off the screen.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    rl.once('line', (line) => {
      rl.close();
      if (process.stdin.isTTY) process.stderr.write('\n');
      resolve(line);
    });
  });
}
