import type { EventPayload } from '../../common/events';
import { truncateText } from '../../common/well-formed';

import { remoteDesktopProtocol } from './remote-ports';

/** A sign of a remote session: the journal's event, and the program where one is the sign. */
export type RemoteSession = EventPayload<'remote-session.detected'> & { program?: string };

/**
 * Signs that the exam runs in a remote session: an RDP session name on Windows (SESSIONNAME
 * "RDP-Tcp#N"), xrdp's marker on Linux, SSH variables, remote-access programs the process
 * monitor sees running, and anything listening on a VNC or RDP port (a renamed server still
 * listens). The client's address in SSH_CONNECTION is never copied.
 */
export function remoteSessions(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  remoteAccessPrograms: readonly string[],
  listeningPorts: readonly number[] = [],
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
  for (const port of listeningPorts) {
    const protocol = remoteDesktopProtocol(port);
    if (protocol === 'rdp')
      found.push({ via: 'rdp', detail: `a program listens for RDP connections on port ${port}` });
    if (protocol === 'vnc')
      found.push({
        via: 'remote-access-program',
        detail: `a program listens for VNC connections on port ${port}`,
      });
  }
  for (const name of remoteAccessPrograms) {
    const program = truncateText(name, 100);
    found.push({ via: 'remote-access-program', detail: `${program} is running`, program });
  }
  return found;
}
