import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { DialectName } from '../src/server/db/database';
import type { TestStorage } from '../test/support/databases';
import { freePort } from '../test/support/net';

import { startServer, type BenchServer } from './harness';

const root = new URL('..', import.meta.url).pathname;

export interface Servers {
  /** Where the load goes: the one server, or the balancer. */
  base: string;
  /** The server processes' pids (their CPU is the servers'). */
  serverPids: number[];
  /** HAProxy's pid, when there is one. */
  balancerPid: number | null;
  stop(): Promise<void>;
}

/** One server process, as IT runs a small installation. */
export async function oneServer(db: TestStorage, dialect: DialectName): Promise<Servers> {
  const server = await startServer(db, dialect);
  return {
    base: server.base,
    serverPids: [server.process.pid!],
    balancerPid: null,
    stop: () => server.stop(),
  };
}

/**
 * `count` server processes on one PostgreSQL behind HAProxy, configured by the shipped
 * deploy/haproxy/haproxy.cfg with its addresses changed (and one line per server).
 */
export async function balancedServers(
  db: TestStorage,
  dialect: DialectName,
  count: number,
): Promise<Servers> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const servers: BenchServer[] = [];
  for (let i = 0; i < count; i += 1) servers.push(await startServer(db, dialect, base));
  const lines = servers
    .map((server, i) => `    server vakt${i + 1} ${new URL(server.base).host} check`)
    .join('\n');
  const shipped = await readFile(join(root, 'deploy/haproxy/haproxy.cfg'), 'utf8');
  const config = shipped
    .replace('127.0.0.1:8443', `127.0.0.1:${port}`)
    .replace(/ {4}server vakt1 .*\n {4}server vakt2 .*\n/, `${lines}\n`)
    // A log line per request would be the balancer's own load, not the servers'.
    .replace('    option httplog\n', '');
  const file = join(db.dataDir, 'haproxy.cfg');
  await writeFile(file, config);
  const balancer = spawn('/usr/sbin/haproxy', ['-f', file, '-db', '-q'], { stdio: 'ignore' });
  for (let i = 0; i < 150; i += 1) {
    const ready = await fetch(`${base}/api/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    base,
    serverPids: servers.map((server) => server.process.pid!),
    balancerPid: balancer.pid!,
    stop: async () => {
      balancer.kill('SIGTERM');
      for (const server of servers) await server.stop();
    },
  };
}
