import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import SQLite from 'better-sqlite3';
import { z } from 'zod';

import { loadServerConfig } from '../config';
import { audit, verifyAudit } from '../repositories/audit';

import { CLI_ACTOR, UsageError, withStorage } from './support';

const DATABASE = 'vakt.sqlite';
/** The server's secret keys: every installed client pins the signing key (docs/operations.md). */
const KEY_FILES = ['signing-ed25519.json', 'hand-in-x25519.json'] as const;
const MANIFEST = 'vakt-backup.json';
/** SQLite's own files beside the database: a restore over them would replay a stranger's WAL. */
const SIDE_FILES = [`${DATABASE}-wal`, `${DATABASE}-shm`];
const ALL_PAGES = 0x7fffffff;

const manifestSchema = z.strictObject({
  format: z.literal(1),
  createdAt: z.iso.datetime(),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** SQLite only: PostgreSQL has its own tools, and the keys are copied by hand beside them. */
function sqliteDataDir(command: string): string {
  const config = loadServerConfig();
  if (config.databaseUrl !== null)
    throw new UsageError(
      `${command} is for SQLite. On PostgreSQL use pg_dump and point-in-time recovery, and keep ${KEY_FILES.join(' and ')} from VAKT_DATA_DIR with them (docs/operations.md).`,
    );
  return config.dataDir;
}

/**
 * `vakt-server backup <folder>`: the database through SQLite's online backup API (consistent
 * while the server goes on writing) and the server's keys, with a manifest of their hashes,
 * into a new or empty folder readable by its owner only.
 */
export async function backupCommand(args: string[]): Promise<void> {
  const [target] = args;
  if (!target) throw new UsageError('backup needs a folder to write to (new or empty).');
  const dataDir = sqliteDataDir('backup');
  const source = join(dataDir, DATABASE);
  if (!(await stat(source).catch(() => null)))
    throw new UsageError(`There is no database in ${dataDir} (VAKT_DATA_DIR) to back up.`);
  const folder = resolve(target);
  if (!(await isEmptyOrMissing(folder)))
    throw new UsageError(`${folder} is not empty: back up into a new or empty folder.`);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);

  const started = Date.now();
  const database = new SQLite(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    // The rest in one step after the first: SQLite starts a backup over whenever the server
    // writes between two steps, which under an exam's load would be forever. In WAL mode one
    // step reads one snapshot and does not hold the server's writes up.
    await database.backup(join(folder, DATABASE), { progress: () => ALL_PAGES });
  } finally {
    database.close();
  }
  await chmod(join(folder, DATABASE), 0o600);
  for (const name of KEY_FILES) {
    await copyFile(join(dataDir, name), join(folder, name));
    await chmod(join(folder, name), 0o600);
  }
  const files: Record<string, string> = {};
  for (const name of [DATABASE, ...KEY_FILES]) files[name] = await sha256(join(folder, name));
  const manifest = { format: 1, createdAt: new Date(started).toISOString(), files };
  await writeFile(join(folder, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
  });
  const size = (await stat(join(folder, DATABASE))).size;
  console.log(
    `Backed up ${dataDir} to ${folder}: database ${(size / 1_048_576).toFixed(1)} MiB and the server keys, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  console.log('Keep it as safe as the server: it holds answers and the secret keys.');
}

/**
 * `vakt-server restore <folder>`: a backup into an empty VAKT_DATA_DIR, every file checked
 * against the manifest first; then the schema is brought up to date, the audit chain is
 * verified, and the restore is audited.
 */
export async function restoreCommand(args: string[]): Promise<void> {
  const [from] = args;
  if (!from) throw new UsageError('restore needs the backup folder to read.');
  const dataDir = sqliteDataDir('restore');
  const folder = resolve(from);
  let manifest: z.infer<typeof manifestSchema>;
  try {
    manifest = manifestSchema.parse(JSON.parse(await readFile(join(folder, MANIFEST), 'utf8')));
  } catch {
    throw new UsageError(`${folder} holds no Vakt backup (${MANIFEST} is missing or damaged).`);
  }
  for (const name of [DATABASE, ...KEY_FILES]) {
    const hash = await sha256(join(folder, name)).catch(() => null);
    if (hash !== manifest.files[name])
      throw new UsageError(`${name} in ${folder} is missing or changed since the backup.`);
  }
  const taken = await Promise.all(
    [DATABASE, ...SIDE_FILES, ...KEY_FILES].map((name) =>
      stat(join(dataDir, name)).catch(() => null),
    ),
  );
  if (taken.some((found) => found !== null))
    throw new UsageError(
      `${dataDir} (VAKT_DATA_DIR) already holds a database, its WAL or keys: restore into an empty folder.`,
    );
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  for (const name of [DATABASE, ...KEY_FILES]) {
    await copyFile(join(folder, name), join(dataDir, name));
    await chmod(join(dataDir, name), 0o600);
  }
  await withStorage(async ({ db, dialect }) => {
    const verdict = await verifyAudit(db);
    if (!verdict.ok)
      throw new UsageError(
        `Restored, but the audit log does not verify at entry ${verdict.seq}: ${verdict.problem}.`,
      );
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'server.restore',
        target: manifest.createdAt,
        outcome: 'ok',
        detail: `restored from a backup made ${manifest.createdAt}`,
      },
      Date.now(),
      dialect,
    );
    console.log(
      `Restored the backup made ${manifest.createdAt} into ${dataDir}; the audit log verifies (${verdict.entries} entries, head ${verdict.headHash}).`,
    );
  });
}
