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
  /** The processes running now. The list is the caller's to read, not to change. */
  list(): Promise<readonly RunningProcess[]>;
  /** Lets go of what the source keeps open between polls. */
  close?(): void;
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
 * program can fake; on Linux the /proc source (proc-source.ts) avoids that.
 */
export class PsListSource implements ProcessSource {
  readonly label = 'ps-list';

  constructor(private readonly psList: PsList) {}

  async list(): Promise<RunningProcess[]> {
    const processes = await this.psList();
    return processes.map(({ pid, name, uid }) => ({ pid, name, uid: uid ?? null }));
  }
}
