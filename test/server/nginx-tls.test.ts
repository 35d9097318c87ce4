import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { ServerApi } from '../../src/main/sync/server-api';
import { STAFF_SIGN_IN } from '../../src/server/routes/staff';
import { testClient, until, type TestClient } from '../support/client-session';
import { freshStorage, type TestStorage } from '../support/databases';
import { freePort } from '../support/net';
import { testServer, type TestServer } from '../support/server';
import { staffCookie } from '../support/staff';

const root = new URL('../..', import.meta.url).pathname;
const NGINX = '/usr/sbin/nginx';
const OPENSSL = '/usr/bin/openssl';

function toolsMissing(): boolean {
  const missing = [NGINX, OPENSSL].filter((path) => !existsSync(path));
  if (missing.length === 0) return false;
  const reason = `${missing.join(' and ')} not found (apt-get install nginx openssl)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have them`);
  console.warn(`SKIPPED the nginx TLS test: ${reason}.`);
  return true;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * deploy/nginx/vakt.conf as shipped (only the name, paths and ports changed), terminating TLS
 * with a self-signed certificate in front of a real server on loopback: the real client signs
 * in and syncs over https, the server believes the address nginx sets (not one a caller
 * sends), live streams arrive unbuffered, and plain HTTP only redirects.
 */
describe.skipIf(toolsMissing())(
  'nginx terminating TLS in front of Vakt',
  { timeout: 120_000 },
  () => {
    let dir: string;
    let db: TestStorage;
    let server: TestServer;
    let nginx: ChildProcess;
    let nginxOutput = '';
    let base: string;
    let plainPort: number;
    let ca: Buffer;
    let agent: Agent;
    let client: TestClient | null = null;

    /** An https request through nginx, trusting the test's own certificate. */
    function viaTls(
      path: string,
      init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
    ): Promise<Answer> {
      return new Promise((resolve, reject) => {
        const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
        const req = request(
          `${base}${path}`,
          {
            method: init.method ?? 'GET',
            agent,
            headers: {
              ...(payload ? { 'content-type': 'application/json' } : {}),
              ...init.headers,
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
            );
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vakt-nginx-'));
      await promisify(execFile)(OPENSSL, [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'privkey.pem'),
        '-out',
        join(dir, 'fullchain.pem'),
      ]);
      ca = await readFile(join(dir, 'fullchain.pem'));
      agent = new Agent({ ca, keepAlive: false });
      const [vaktPort, tlsPort] = [await freePort(), await freePort()];
      plainPort = await freePort();
      base = `https://127.0.0.1:${tlsPort}`;

      db = await freshStorage('sqlite');
      // As IT configures it: the public URL is nginx's, and nginx is the one proxy believed.
      server = await testServer(db.storage, undefined, true, base, { trustProxy: ['127.0.0.1'] });
      await server.app.listen({ host: '127.0.0.1', port: vaktPort });

      const shipped = await readFile(join(root, 'deploy/nginx/vakt.conf'), 'utf8');
      const site = shipped
        .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${vaktPort};`)
        .replace('listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl;`)
        .replace('listen 80;', `listen 127.0.0.1:${plainPort};`)
        .replace('/etc/ssl/vakt/fullchain.pem', join(dir, 'fullchain.pem'))
        .replace('/etc/ssl/vakt/privkey.pem', join(dir, 'privkey.pem'));
      await writeFile(join(dir, 'vakt.conf'), site);
      for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
        await mkdir(join(dir, temp));
      // What a distribution's nginx.conf has around the site file, in the test's own folder.
      await writeFile(
        join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/vakt.conf;
}
`,
      );
      nginx = spawn(NGINX, [
        '-p',
        dir,
        '-c',
        join(dir, 'nginx.conf'),
        '-g',
        'daemon off; master_process off;',
      ]);
      nginx.stderr!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
      const deadline = Date.now() + 30_000;
      for (;;) {
        const health = await viaTls('/api/health').catch(() => null);
        if (health?.status === 200) break;
        if (Date.now() > deadline || nginx.exitCode !== null)
          throw new Error(`nginx did not come up: ${nginxOutput}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    afterAll(async () => {
      await client?.cleanup();
      if (nginx && nginx.exitCode === null) {
        nginx.kill('SIGQUIT');
        await new Promise((resolve) => nginx.once('exit', resolve));
      }
      await server?.app.close();
      await db?.cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('carries the real client over https, and live streams unbuffered', async () => {
      const { cookie } = await staffCookie(server.app, db.storage, 'inv@vakt.test', 'admin');
      // The dashboard's live stream, through nginx: it must deliver as events happen.
      let live = '';
      const stream = request(`${base}${STAFF_API_PREFIX}/exams/${server.exam.id}/events`, {
        agent,
        headers: { cookie },
      });
      stream.on('response', (res) => res.on('data', (chunk: Buffer) => (live += chunk.toString())));
      stream.on('error', () => undefined);
      stream.end();
      await until(() => live.includes(': connected'), 'the live stream through nginx');

      const api = new ServerApi({ baseUrl: base, httpsAgent: agent, timeoutMs: 10_000 });
      client = await testClient(server, base, { api });
      await client.session.signIn({
        examCode: 'TEST-1',
        candidateNumber: '1001',
        personalCode: 'secret-1',
      });
      await client.session.startExam();
      await client.session.saveAnswer('q2', { type: 'short-text', text: 'over TLS' });
      await until(() => client!.session.state().unsyncedRecords === 0, 'the answer acknowledged');
      // The candidate's sign-in and answers reached the dashboard while the stream was open.
      await until(() => live.includes('event: candidates'), 'a live event through nginx');
      stream.destroy();
    });

    it('believes the address nginx sets, not one a caller sends', async () => {
      const answer = await viaTls(STAFF_SIGN_IN, {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.9', origin: base },
        body: { email: 'nobody@vakt.test', password: 'wrong password here' },
      });
      expect(answer.status).toBe(401);
      const entry = await db.storage.db
        .selectFrom('audit_log')
        .select('address')
        .where('action', '=', 'staff.sign-in')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(entry.address).toBe('127.0.0.1');
    });

    it('answers plain HTTP only with a redirect to https', async () => {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const req = httpRequest(`http://127.0.0.1:${plainPort}/api/health`, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }),
          );
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(301);
      expect(answer.headers.location).toMatch(/^https:\/\//);
    });
  },
);
