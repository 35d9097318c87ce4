import { createServer, type AddressInfo, type Server } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { linuxListeningPorts, listeningPortsIn } from './remote-ports';
import { remoteSessions } from './remote-session';

const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:170D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 101 1 0
   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 102 1 0
   2: 0100007F:170D 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000  1000        0 103 1 0
   3: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104 1 0
`;

describe('remote-desktop listeners', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = null;
  });

  it('reads the listening ports of a /proc/net/tcp table, not connected ones', () => {
    // 0x170D = 5901 (VNC display 1), 0x0CEA = 3306, 0x1F90 = 8080; the 01 row is a connection.
    expect(listeningPortsIn(TABLE)).toEqual([3306, 5901, 8080]);
  });

  it('names a VNC or RDP listener as a remote session, whatever the program is called', () => {
    expect(remoteSessions('linux', {}, [], [22, 3389, 5901, 8080])).toEqual([
      { via: 'rdp', detail: 'a program listens for RDP connections on port 3389' },
      {
        via: 'remote-access-program',
        detail: 'a program listens for VNC connections on port 5901',
      },
    ]);
  });

  it.runIf(process.platform === 'linux')(
    'reads a real listening socket from /proc, and not after it closes',
    async () => {
      // Any free port, not a VNC one: the monitors of tests running alongside would see it.
      server = createServer();
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      expect(linuxListeningPorts()).toContain(port);
      await new Promise((resolve) => server!.close(resolve));
      server = null;
      expect(linuxListeningPorts()).not.toContain(port);
    },
  );
});
