import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The file-system operations the journal needs, behind one interface so durability can be
 * tested: a test port can drop everything not yet synced, as a power cut would.
 */
export interface AppendFile {
  /** Appends at the end of the file. */
  append(data: Uint8Array): Promise<void>;
  /** Returns once everything appended so far is on stable storage. */
  sync(): Promise<void>;
  truncate(size: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface FsPort {
  mkdir(path: string): Promise<void>;
  /** Opens for appending, creating the file if needed; `created` says whether it was new. */
  openAppend(path: string): Promise<{ file: AppendFile; created: boolean }>;
  /** The whole file, or null when there is none. */
  readFile(path: string): Promise<Uint8Array | null>;
  /** Replaces `path` atomically and durably (temporary file, sync, rename, folder sync). */
  writeFileAtomic(path: string, data: Uint8Array): Promise<void>;
  /** Makes the folder's entries (new files, renames) durable. */
  syncDir(path: string): Promise<void>;
}

class NodeAppendFile implements AppendFile {
  constructor(private readonly handle: FileHandle) {}

  async append(data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return this.handle.sync();
  }

  truncate(size: number): Promise<void> {
    return this.handle.truncate(size);
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export const nodeFs: FsPort = {
  async mkdir(path) {
    await mkdir(path, { recursive: true, mode: 0o700 });
  },
  async openAppend(path) {
    try {
      const handle = await open(
        path,
        constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
        0o600,
      );
      return { file: new NodeAppendFile(handle), created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return { file: new NodeAppendFile(await open(path, 'a')), created: false };
    }
  },
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  async writeFileAtomic(path, data) {
    // A temporary name of its own, so two writers of one file cannot rename each other's away.
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, path);
    await nodeFs.syncDir(dirname(path));
  },
  async syncDir(path) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
