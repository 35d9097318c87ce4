import { dirname } from 'node:path';

import type { AppendFile, FsPort } from '../../src/main/fs-port';

interface Entry {
  /** What a reader sees now. */
  current: Uint8Array;
  /** What survives a power cut. */
  durable: Uint8Array;
  /** Whether the folder entry itself is durable (the folder was synced after creation). */
  listed: boolean;
}

/**
 * An in-memory file system that models a power cut: `powerLoss()` returns a copy holding only
 * what was synced — file contents after fsync, new files after their folder's fsync.
 */
export class CrashFs implements FsPort {
  readonly files = new Map<string, Entry>();
  syncs = 0;
  /** When set, the next sync waits for this promise (to observe an append before fsync). */
  syncGate: Promise<void> | null = null;
  /** When set, the next append writes `partial` bytes of its data and then fails with `code`. */
  failNextAppend: { code: string; partial: number } | null = null;

  mkdir(): Promise<void> {
    return Promise.resolve();
  }

  openAppend(path: string): Promise<{ file: AppendFile; created: boolean }> {
    const created = !this.files.has(path);
    if (created)
      this.files.set(path, { current: new Uint8Array(), durable: new Uint8Array(), listed: false });
    const entry = () => this.files.get(path)!;
    const file: AppendFile = {
      append: (data) => {
        const failure = this.failNextAppend;
        if (failure) {
          this.failNextAppend = null;
          entry().current = concat(entry().current, data.subarray(0, failure.partial));
          return Promise.reject(Object.assign(new Error(failure.code), { code: failure.code }));
        }
        entry().current = concat(entry().current, data);
        return Promise.resolve();
      },
      sync: async () => {
        const gate = this.syncGate;
        this.syncGate = null;
        if (gate) await gate;
        this.syncs += 1;
        entry().durable = entry().current.slice();
      },
      truncate: (size) => {
        entry().current = entry().current.slice(0, size);
        return Promise.resolve();
      },
      size: () => Promise.resolve(entry().current.length),
      close: () => Promise.resolve(),
    };
    return Promise.resolve({ file, created });
  }

  readFile(path: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.files.get(path)?.current.slice() ?? null);
  }

  writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
    this.files.set(path, { current: data.slice(), durable: data.slice(), listed: true });
    return Promise.resolve();
  }

  syncDir(path: string): Promise<void> {
    for (const [file, entry] of this.files) if (dirname(file) === path) entry.listed = true;
    return Promise.resolve();
  }

  /** The file system as a power cut at this instant would leave it. */
  powerLoss(): CrashFs {
    const after = new CrashFs();
    for (const [path, entry] of this.files) {
      if (entry.listed)
        after.files.set(path, {
          current: entry.durable.slice(),
          durable: entry.durable.slice(),
          listed: true,
        });
    }
    return after;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
