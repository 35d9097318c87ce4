import { runSystemProgram } from '../system-programs';

import type { ProcessSource, RunningProcess } from './process-source';

/**
 * What `ps` is asked for: every process's pid, effective uid, state and accounting name. The
 * accounting name (`ucomm`, the kernel's `p_comm`) is the executable's file name as the kernel
 * took it at exec — not argv[0], which a program sets as it likes — cut to 16 characters on
 * macOS. No command line is asked for.
 */
export const PS_ARGS = ['-axo', 'pid=,uid=,state=,ucomm='];

/** Runs `ps` once and returns what it printed. */
export type RunPs = () => Promise<string>;

/** /bin/ps by its full path (never one found on PATH), clean environment, given 5 s. */
export const runPs: RunPs = async () => {
  const output = await runSystemProgram('/bin/ps', PS_ARGS, 5_000);
  if (output.code !== 0) throw new Error(`ps failed (${output.code}): ${output.stderr.trim()}`);
  return output.stdout;
};

/**
 * macOS: one `ps` a poll, for pid, uid, state and name only (ps-list starts two and reads
 * every process's command line, only to drop it). macOS offers no cheaper way to list
 * processes from Node without a native module, so each poll costs a process start; the name
 * needs nothing read per pid, so there is nothing more to leave out for pids already seen.
 * Zombies (state Z: ended, not yet reaped by their parent) are not running and are dropped,
 * where ps-list lists them.
 */
export class PsSource implements ProcessSource {
  readonly label = 'ps';

  constructor(private readonly run: RunPs = runPs) {}

  async list(): Promise<readonly RunningProcess[]> {
    return parsePs(await this.run());
  }
}

/** `ps -axo pid=,uid=,state=,ucomm=` output, as processes; zombies and odd lines left out. */
export function parsePs(output: string): RunningProcess[] {
  const processes: RunningProcess[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!match || match[3]!.startsWith('Z')) continue;
    processes.push({ pid: Number(match[1]), uid: Number(match[2]), name: match[4]! });
  }
  return processes;
}
