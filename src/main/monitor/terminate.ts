import { readFileSync } from 'node:fs';

export type TerminateOutcome = 'ended' | 'not-permitted' | 'still-running';

export interface Signaller {
  /** process.kill: throws ESRCH for no such process, EPERM for another user's. */
  kill(pid: number, signal: NodeJS.Signals | 0): void;
  sleep(ms: number): Promise<void>;
}

export const nodeSignaller: Signaller = {
  kill: (pid, signal) => {
    process.kill(pid, signal);
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Alive means signalable and, on Linux, not a zombie waiting for its parent. */
function isAlive(pid: number, signaller: Signaller): boolean {
  try {
    signaller.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

async function waitForExit(pids: number[], signaller: Signaller, ms: number): Promise<number[]> {
  const step = 50;
  let alive = pids.filter((pid) => isAlive(pid, signaller));
  for (let waited = 0; alive.length > 0 && waited < ms; waited += step) {
    await signaller.sleep(step);
    alive = alive.filter((pid) => isAlive(pid, signaller));
  }
  return alive;
}

/**
 * Ends a program's processes: asks politely (SIGTERM; on Windows Node's kill ends the process
 * outright), waits `graceMs`, then forces (SIGKILL), and verifies. A process another user owns
 * cannot be signalled by an unprivileged monitor: that is reported, not retried.
 */
export async function terminate(
  pids: readonly number[],
  { graceMs = 2_000, signaller = nodeSignaller }: { graceMs?: number; signaller?: Signaller } = {},
): Promise<TerminateOutcome> {
  const send = (list: number[], signal: NodeJS.Signals): { denied: boolean } => {
    let denied = false;
    for (const pid of list) {
      try {
        signaller.kill(pid, signal);
      } catch (error) {
        if (errorCode(error) === 'EPERM') denied = true;
      }
    }
    return { denied };
  };
  if (send([...pids], 'SIGTERM').denied) return 'not-permitted';
  let alive = await waitForExit([...pids], signaller, graceMs);
  if (alive.length === 0) return 'ended';
  if (send(alive, 'SIGKILL').denied) return 'not-permitted';
  alive = await waitForExit(alive, signaller, 1_000);
  return alive.length === 0 ? 'ended' : 'still-running';
}
