import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where a Linux distribution installs programs. */
export const LINUX_PROGRAM_DIRS = [
  '/usr/bin',
  '/usr/sbin',
  '/bin',
  '/sbin',
  '/usr/local/bin',
  '/usr/games',
  '/snap/bin',
];

/** Content hashes kept for executables that were not catalogue programs (bounded). */
const HASH_CACHE_LIMIT = 512;

interface Installed {
  path: string;
  name: string;
  /** Computed the first time a process's executable has the same size. */
  hash?: string;
}

/**
 * Recognises catalogue programs by what they are, not what they are called: a hard link to an
 * installed program by its inode, a copy (renamed, or started with another argv[0]) by its
 * content. At exam start it notes the installed catalogue programs' inodes and sizes; a
 * process's executable is hashed only when its size equals one of theirs, and each hash is
 * kept per inode and mtime, so a poll costs a stat per new executable.
 */
export class ExecutableFingerprints {
  private readonly names: ReadonlySet<string>;
  private readonly byInode = new Map<string, string>();
  private readonly bySize = new Map<number, Installed[]>();
  private readonly hashes = new Map<string, string>();

  constructor(catalogueNames: readonly string[], dirs: readonly string[] = LINUX_PROGRAM_DIRS) {
    this.names = new Set(catalogueNames);
    for (const name of this.names) {
      for (const dir of dirs) {
        const path = join(dir, name);
        try {
          const facts = statSync(path);
          if (!facts.isFile() || facts.size === 0) continue;
          this.byInode.set(`${facts.dev}:${facts.ino}`, name);
          const same = this.bySize.get(facts.size) ?? [];
          same.push({ path, name });
          this.bySize.set(facts.size, same);
        } catch {
          // Not installed here.
        }
      }
    }
  }

  /** Whether `name` is a catalogue name already (nothing to look up). */
  knows(name: string): boolean {
    return this.names.has(name);
  }

  /**
   * The catalogue program the executable at `path` is (`/proc/PID/exe` works, even for a
   * deleted file), or null. Unreadable files are no one's.
   */
  identify(path: string): string | null {
    let facts;
    try {
      facts = statSync(path);
    } catch {
      return null;
    }
    const byInode = this.byInode.get(`${facts.dev}:${facts.ino}`);
    if (byInode) return byInode;
    const same = this.bySize.get(facts.size);
    if (!same) return null;
    const key = `${facts.dev}:${facts.ino}:${facts.mtimeMs}`;
    let hash = this.hashes.get(key) ?? null;
    if (hash === null) {
      hash = hashOf(path);
      if (hash === null) return null;
      if (this.hashes.size >= HASH_CACHE_LIMIT) this.hashes.clear();
      this.hashes.set(key, hash);
    }
    for (const installed of same) {
      installed.hash ??= hashOf(installed.path) ?? '';
      if (installed.hash === hash) return installed.name;
    }
    return null;
  }
}

function hashOf(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}
