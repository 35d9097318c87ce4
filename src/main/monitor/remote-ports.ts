import { readFileSync } from 'node:fs';

/** What a remote-desktop server listens on: VNC's display ports (5900 + display) and RDP. */
export function remoteDesktopProtocol(port: number): 'vnc' | 'rdp' | null {
  if (port === 3389) return 'rdp';
  if (port >= 5900 && port <= 5999) return 'vnc';
  return null;
}

/** TCP state LISTEN in /proc/net/tcp's `st` column. */
const LISTEN = '0A';

/**
 * The local ports in LISTEN state in a /proc/net/tcp or tcp6 table. Only port numbers leave
 * here: no addresses, no processes, no command lines.
 */
export function listeningPortsIn(table: string): number[] {
  const ports = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== LISTEN) continue;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Linux: the TCP ports anything on this computer listens on, v4 and v6, whatever the program
 * is called — a renamed VNC server still has to listen. An unreadable table counts as none.
 */
export function linuxListeningPorts(
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): number[] {
  const ports = new Set<number>();
  for (const path of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const port of listeningPortsIn(read(path))) ports.add(port);
    } catch {
      // No IPv6, or /proc hidden: nothing to say.
    }
  }
  return [...ports].sort((a, b) => a - b);
}
