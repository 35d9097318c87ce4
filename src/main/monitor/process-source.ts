import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { ExecutableFingerprints } from './fingerprints';

/**
 * A running process as the monitor sees it: the executable's file name and who owns it. The
 * command line and the path (which holds the user's name) are dropped inside each source and
 * never travel further.
 */
export interface RunningProcess {
  pid: number;
  name: string;
  uid: number | null;
}

export interface ProcessSource {
  readonly label: string;
  list(): Promise<RunningProcess[]>;
}

/** What ps-list returns (the fields it documents); the source reads only three of them. */
interface PsListProcess {
  pid: number;
  name: string;
  uid?: number;
  cmd?: string;
  path?: string;
}
export type PsList = () => Promise<PsListProcess[]>;

/**
 * ps-list (every OS): on Windows the image name, on Linux the file name of /proc/PID/exe where
 * readable. Where ps-list cannot read the executable it falls back to the command line, which a
 * program can fake; on Linux the /proc source below avoids that.
 */
export class PsListSource implements ProcessSource {
  readonly label = 'ps-list';

  constructor(private readonly psList: PsList) {}

  async list(): Promise<RunningProcess[]> {
    const processes = await this.psList();
    return processes.map(({ pid, name, uid }) => ({ pid, name, uid: uid ?? null }));
  }
}

/**
 * Linux, straight from /proc with synchronous reads: the file name of the `exe` link where we
 * may read it (our own processes, or as root), else the kernel's `comm` (at most 15
 * characters). Faster than ps-list, which starts `ps` on every poll. With fingerprints, an
 * executable that is a catalogue program under another name (a renamed copy, a hard link) is
 * named as that program; each process is looked up once, while its executable stays the same.
 */
export class ProcSource implements ProcessSource {
  readonly label: string;
  /** Per pid: the exe link seen and the name it was given. */
  private readonly seen = new Map<number, { link: string; name: string }>();

  constructor(
    private readonly root = '/proc',
    private readonly fingerprints: ExecutableFingerprints | null = null,
  ) {
    this.label = fingerprints ? '/proc with fingerprints' : '/proc';
  }

  list(): Promise<RunningProcess[]> {
    const processes: RunningProcess[] = [];
    const alive = new Set<number>();
    for (const entry of readdirSync(this.root)) {
      if (!/^\d+$/.test(entry)) continue;
      const dir = join(this.root, entry);
      const pid = Number(entry);
      try {
        const uid = statSync(dir).uid;
        const name = this.nameOf(pid, dir);
        if (name !== null) processes.push({ pid, name, uid });
        alive.add(pid);
      } catch {
        // The process ended while we looked.
      }
    }
    for (const pid of this.seen.keys()) if (!alive.has(pid)) this.seen.delete(pid);
    return Promise.resolve(processes);
  }

  /** The program's name, or null for a zombie: it has exited and runs nothing any more. */
  private nameOf(pid: number, dir: string): string | null {
    let link: string;
    try {
      link = readlinkSync(join(dir, 'exe'));
    } catch {
      // No exe link: another user's process, a kernel thread, or a zombie (which keeps its comm
      // until reaped, and where no init reaps orphans — containers — stays for good).
      const stat = readFileSync(join(dir, 'stat'), 'utf8');
      const state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state === 'Z' || state === 'X') return null;
      return readFileSync(join(dir, 'comm'), 'utf8').trimEnd();
    }
    const exe = basename(link.replace(/ \(deleted\)$/, ''));
    return INTERPRETER.test(exe) ? scriptName(dir, exe) : this.recognised(pid, dir, link, exe);
  }

  /** The catalogue program an executable is, whatever it is called; else its own name. */
  private recognised(pid: number, dir: string, link: string, exe: string): string {
    if (!this.fingerprints || this.fingerprints.knows(exe)) return exe;
    const seen = this.seen.get(pid);
    if (seen?.link === link) return seen.name;
    const name = this.fingerprints.identify(join(dir, 'exe')) ?? exe;
    this.seen.set(pid, { link, name });
    return name;
  }
}

/** Programs that run a script: the script, not the interpreter, is the program. */
const INTERPRETER =
  /^(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|sh|bash|dash|zsh|ksh|mksh|tclsh[0-9.]*|wish[0-9.]*|lua[0-9.]*|php[0-9.]*|node|nodejs|gjs)$/;

/**
 * The script an interpreter runs, by base name: `comm` where the kernel set it to the script's
 * name (a script started through its #! line), else the first argument that is not an option
 * (`python3 /tmp/kazam.py`, `perl shutter`), without .py/.pl/.sh/.rb. Read here, inside the
 * source: nothing else of the command line leaves it. An inline script (`sh -c …`) is the
 * interpreter.
 */
function scriptName(dir: string, interpreter: string): string {
  const comm = readFileSync(join(dir, 'comm'), 'utf8').trimEnd();
  if (comm !== '' && !INTERPRETER.test(comm)) return comm;
  let args: string[];
  try {
    args = readFileSync(join(dir, 'cmdline'), 'latin1').split('\0').slice(1);
  } catch {
    return interpreter;
  }
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '-e' || arg === '--eval') return interpreter;
    if (arg === '-m' && args[i + 1]) return args[i + 1]!.split('.')[0]!;
    if (arg.startsWith('-') || arg === '') continue;
    return basename(arg).replace(/\.(py|pyw|pl|sh|rb|js|tcl|lua|php)$/i, '');
  }
  return interpreter;
}
