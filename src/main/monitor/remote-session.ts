import type { EventPayload } from '../../common/events';
import { truncateText } from '../../common/well-formed';

/** A sign of a remote session: the journal's event, and the program where one is the sign. */
export type RemoteSession = EventPayload<'remote-session.detected'> & { program?: string };

/**
 * Signs that the exam runs in a remote session: an RDP session name on Windows (SESSIONNAME
 * "RDP-Tcp#N"), xrdp's marker on Linux, SSH variables, and remote-access programs the process
 * monitor sees running. The client's address in SSH_CONNECTION is never copied.
 */
export function remoteSessions(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  remoteAccessPrograms: readonly string[],
): RemoteSession[] {
  const found: RemoteSession[] = [];
  const session = env.SESSIONNAME ?? '';
  if (platform === 'win32' && /^RDP-/i.test(session)) {
    found.push({ via: 'rdp', detail: `SESSIONNAME is ${truncateText(session, 50)}` });
  }
  if (platform === 'linux' && env.XRDP_SESSION) {
    found.push({ via: 'rdp', detail: 'XRDP_SESSION is set: an xrdp session' });
  }
  const ssh = ['SSH_CONNECTION', 'SSH_CLIENT', 'SSH_TTY'].filter((name) => env[name]);
  if (ssh.length > 0) {
    found.push({ via: 'ssh', detail: `${ssh.join(', ')} set: the session was opened over SSH` });
  }
  for (const name of remoteAccessPrograms) {
    const program = truncateText(name, 100);
    found.push({ via: 'remote-access-program', detail: `${program} is running`, program });
  }
  return found;
}
