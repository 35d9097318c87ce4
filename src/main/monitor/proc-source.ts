import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
} from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { ExecutableFingerprints } from './fingerprints';
import type { ProcessSource, RunningProcess } from './process-source';

/**
 * Each known process is looked at again this often: to see a program it exec()s into, or that it
 * has become a zombie.
 */
export const RECHECK_MS = 2_000;

/**
 * A process this young is looked at again at every poll: it may still be the shell or launcher
 * that started it, about to exec() the real program (the fork/exec race).
 */
export const YOUNG_MS = 1_000;

/** What the /proc source remembers of a process between polls. */
interface Known {
  /** The program's name, or null for a zombie. */
  name: string | null;
  uid: number;
  /** The exe link when we may read it; null when we may not (another user's process). */
  link: string | null;
  /** A kernel thread: never looked at again. */
  kernel: boolean;
  interpreter: boolean;
  /** The listing that last saw the process. */
  listing: number;
}

/**
 * Linux, straight from /proc with synchronous reads: the file name of the `exe` link where we
 * may read it (our own processes, or as root), else the kernel's `comm` (at most 15
 * characters). Incremental: a poll lists /proc only when a process has started or been reaped
 * since the last listing (/proc/loadavg's task count and last pid, read through a file kept
 * open) or RECHECK_MS has passed, and reads only new pids; the known processes are looked at
 * again in turn, all of them once per RECHECK_MS (the exe link; all of it when the link changed,
 * cannot be read, or names an interpreter). A poll where nothing changed returns the same list
 * as the one before. So a process that starts or ends is seen at the next poll; one that
 * exec()s into another program within its first YOUNG_MS at the next poll too (the fork/exec
 * race: a launcher read while still the shell), and later, or one that becomes a zombie nobody
 * reaps, within RECHECK_MS. With
 * fingerprints, an executable that is a catalogue program under another name (a renamed copy,
 * a hard link) is named as that program; each executable link is looked up once.
 */
export class ProcSource implements ProcessSource {
  readonly label: string;
  private readonly known = new Map<number, Known>();
  private listing = 0;
  /** The task count and last pid when /proc was last listed, and when to list it again anyway. */
  private listedAt: string | null = null;
  private listAgainAt = 0;
  /** Where the rechecks go on: a live iterator over `known` (it skips the deleted). */
  private turn: MapIterator<[number, Known]> | null = null;
  /** Rechecks owed, carried from poll to poll, and when the last poll was. */
  private owed = 0;
  private polledAt: number | null = null;
  private processes: RunningProcess[] = [];
  /** Processes first read less than YOUNG_MS ago, by pid, with when. */
  private readonly young = new Map<number, number>();
  private loadavg: { fd: number; buffer: Buffer } | null = null;

  constructor(
    private readonly root = '/proc',
    private readonly fingerprints: ExecutableFingerprints | null = null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.label = fingerprints ? '/proc with fingerprints' : '/proc';
  }

  list(): Promise<readonly RunningProcess[]> {
    const now = this.now();
    const tasks = this.tasks();
    let changed = false;
    if (tasks === null || tasks !== this.listedAt || now >= this.listAgainAt) {
      changed = this.relist();
      this.listedAt = tasks;
      this.listAgainAt = now + RECHECK_MS;
    }
    if (this.recheckDue(now)) changed = true;
    if (this.recheckYoung(now)) changed = true;
    if (changed) {
      this.processes = [];
      for (const [pid, { name, uid }] of this.known)
        if (name !== null) this.processes.push({ pid, name, uid });
    }
    return Promise.resolve(this.processes);
  }

  /** Closes /proc/loadavg; a later list() opens it again. */
  close(): void {
    if (this.loadavg) closeSync(this.loadavg.fd);
    this.loadavg = null;
  }

  /** Every pid in /proc: new ones read, ended ones forgotten. Whether anything changed. */
  private relist(): boolean {
    let changed = false;
    const listing = (this.listing += 1);
    for (const entry of readdirSync(this.root)) {
      const code = entry.charCodeAt(0);
      if (code < 48 || code > 57) continue; // not a pid: only pids start with a digit
      const pid = Number(entry);
      let known = this.known.get(pid);
      if (!known) {
        try {
          known = this.read(pid);
        } catch {
          continue; // the process ended while we looked
        }
        this.known.set(pid, known);
        this.young.set(pid, this.now());
        changed = true;
      }
      known.listing = listing;
    }
    for (const [pid, known] of this.known) {
      if (known.listing === listing) continue;
      this.known.delete(pid);
      changed = true;
    }
    return changed;
  }

  /**
   * The known processes' share of rechecks since the last poll (all of them per RECHECK_MS),
   * going on where the last poll stopped. Whether any process changed or ended.
   */
  private recheckDue(now: number): boolean {
    const elapsed = this.polledAt === null ? 0 : now - this.polledAt;
    this.polledAt = now;
    const count = this.known.size;
    this.owed = Math.min(count, this.owed + (count * elapsed) / RECHECK_MS);
    let changed = false;
    for (let checked = 0; this.owed >= 1 && checked < count; checked += 1) {
      this.turn ??= this.known.entries();
      const next = this.turn.next();
      if (next.done) {
        this.turn = null;
        continue;
      }
      this.owed -= 1;
      const [pid, known] = next.value;
      try {
        if (this.recheck(pid, known)) changed = true;
      } catch {
        this.known.delete(pid); // ended
        changed = true;
      }
    }
    return changed;
  }

  /** The young processes looked at again: a shell that exec()ed since is named for its program. */
  private recheckYoung(now: number): boolean {
    let changed = false;
    for (const [pid, at] of this.young) {
      const known = this.known.get(pid);
      if (!known || now - at >= YOUNG_MS) {
        this.young.delete(pid);
        continue;
      }
      try {
        if (this.recheck(pid, known)) changed = true;
      } catch {
        this.known.delete(pid);
        this.young.delete(pid);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * "<tasks> <last pid>" from /proc/loadavg: how many tasks (processes and threads) exist and
   * the pid the kernel handed out last (in this pid namespace). While both stay the same, no
   * process has started (it would take a new pid) and none has been reaped (the count would
   * drop). Read from offset 0 of a file kept open: one system call a poll. Null where
   * /proc/loadavg cannot be read.
   */
  private tasks(): string | null {
    try {
      this.loadavg ??= { fd: openSync(`${this.root}/loadavg`, 'r'), buffer: Buffer.alloc(128) };
      const { fd, buffer } = this.loadavg;
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      const fields = buffer.toString('latin1', 0, length).trim().split(' ');
      const tasks = fields[3]?.split('/')[1];
      return fields.length === 5 && tasks ? `${tasks} ${fields[4]}` : null;
    } catch {
      this.close();
      return null;
    }
  }

  /** Everything about a process we have not seen (or whose program changed). */
  private read(pid: number, previous?: Known): Known {
    const dir = `${this.root}/${pid}`;
    const uid = statSync(dir).uid;
    let link: string | null;
    try {
      link = readlinkSync(`${dir}/exe`);
    } catch {
      // No exe link: another user's process, a kernel thread, or a zombie.
      return { ...fromStat(dir), uid, link: null, interpreter: false, listing: 0 };
    }
    const exe = basename(link.replace(/ \(deleted\)$/, ''));
    if (LOADER.test(exe)) {
      // `ld-linux-x86-64.so.2 /usr/bin/x11vnc`: the loaded program is the program.
      const name = this.loaded(dir) ?? exe;
      return { name, uid, link, kernel: false, interpreter: true, listing: 0 };
    }
    const interpreter = INTERPRETER.test(exe);
    const name = interpreter
      ? scriptName(dir, exe)
      : previous?.link === link && previous.name !== null
        ? previous.name
        : this.recognised(dir, exe);
    return { name, uid, link, kernel: false, interpreter, listing: 0 };
  }

  /** A known process, in its turn: read again if its program may have changed. Whether it did. */
  private recheck(pid: number, known: Known): boolean {
    if (known.kernel) return false; // a kernel thread runs no program; it stays what it is
    const before = known.name;
    const dir = `${this.root}/${pid}`;
    if (known.link === null) {
      // Not ours to read: its comm, or that it is a zombie now, from one file.
      Object.assign(known, fromStat(dir));
      return known.name !== before;
    }
    if (!known.interpreter) {
      let link: string | null = null;
      try {
        link = readlinkSync(`${dir}/exe`);
      } catch {
        // Gone, or a zombie now: read it all below.
      }
      if (link === known.link) return false;
    }
    Object.assign(known, this.read(pid, known));
    return known.name !== before;
  }

  /**
   * The program the dynamic loader was asked to run: its first argument that is no loader
   * option, recognised by its content like any executable (a renamed copy is still itself).
   */
  private loaded(dir: string): string | null {
    const target = firstOperand(readArgs(dir), LOADER_VALUE_OPTIONS);
    if (target === null) return null;
    let path = target;
    try {
      if (!isAbsolute(target)) path = join(readlinkSync(`${dir}/cwd`), target);
    } catch {
      // Its folder is not ours to read: the name alone.
    }
    const name = basename(target);
    if (!this.fingerprints || this.fingerprints.knows(name)) return name;
    return this.fingerprints.identify(path) ?? name;
  }

  /** The catalogue program an executable is, whatever it is called; else its own name. */
  private recognised(dir: string, exe: string): string {
    if (!this.fingerprints || this.fingerprints.knows(exe)) return exe;
    return this.fingerprints.identify(`${dir}/exe`) ?? exe;
  }
}

/** PF_KTHREAD in /proc/PID/stat's flags. */
const KERNEL_THREAD = 0x00200000;

/**
 * A process we may not read the executable of, from /proc/PID/stat alone: its comm (the name in
 * parentheses, which may itself hold parentheses), null once it is a zombie (which keeps its
 * comm until reaped, and where no init reaps orphans — containers — stays for good), and
 * whether it is a kernel thread.
 */
function fromStat(dir: string): { name: string | null; kernel: boolean } {
  const stat = readFileSync(`${dir}/stat`, 'latin1');
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ', 7);
  const state = fields[0];
  if (state === 'Z' || state === 'X') return { name: null, kernel: false };
  const name = Buffer.from(stat.slice(stat.indexOf('(') + 1, close), 'latin1').toString('utf8');
  return { name, kernel: (Number(fields[6]) & KERNEL_THREAD) !== 0 };
}

/** The dynamic loader, which runs the program named after it (`ld.so PROGRAM`). */
const LOADER = /^ld(-linux[\w.-]*|-musl-[\w.-]+)?\.so(\.\d+)*$/;

/** The loader's options that take a value (ld.so(8)): skipped when finding the program. */
const LOADER_VALUE_OPTIONS = new Set([
  '--library-path',
  '--preload',
  '--argv0',
  '--audit',
  '--inhibit-rpath',
  '--glibc-hwcaps-prepend',
  '--glibc-hwcaps-mask',
]);

/**
 * Interpreter options that take the next argument as their value (`python3 -W ignore x.py`),
 * by interpreter family: the value is not the script.
 */
const SCRIPT_VALUE_OPTIONS: [RegExp, ReadonlySet<string>][] = [
  [/^python/, new Set(['-W', '-X', '-Q', '--check-hash-based-pycs'])],
  [/^perl/, new Set(['-I', '-M', '-m', '-C', '-x'])],
  [/^ruby/, new Set(['-I', '-r', '-C', '-E', '-F', '--encoding'])],
  [
    /^(node|nodejs)$/,
    new Set(['-r', '--require', '--import', '--loader', '--title', '--conditions']),
  ],
];

/** A process's arguments after its program name; none if they cannot be read. */
function readArgs(dir: string): string[] {
  try {
    return readFileSync(`${dir}/cmdline`, 'latin1').split('\0').slice(1);
  } catch {
    return [];
  }
}

/** The first argument that is neither an option nor the value of one in `valued`. */
function firstOperand(args: readonly string[], valued: ReadonlySet<string>): string | null {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (valued.has(arg)) {
      i += 1;
      continue;
    }
    if (arg === '--') return args[i + 1] || null;
    if (arg.startsWith('-') || arg === '') continue;
    return arg;
  }
  return null;
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
  const comm = readFileSync(`${dir}/comm`, 'utf8').trimEnd();
  if (comm !== '' && !INTERPRETER.test(comm)) return comm;
  let args: string[];
  try {
    args = readFileSync(`${dir}/cmdline`, 'latin1').split('\0').slice(1);
  } catch {
    return interpreter;
  }
  const valued =
    SCRIPT_VALUE_OPTIONS.find(([family]) => family.test(interpreter))?.[1] ?? new Set();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '-e' || arg === '--eval') return interpreter;
    if (arg === '-m' && args[i + 1] && /^python/.test(interpreter))
      return args[i + 1]!.split('.')[0]!;
    if (valued.has(arg)) {
      i += 1;
      continue;
    }
    if (arg.startsWith('-') || arg === '') continue;
    return basename(arg).replace(/\.(py|pyw|pl|sh|rb|js|tcl|lua|php)$/i, '');
  }
  return interpreter;
}
