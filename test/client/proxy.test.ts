import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ServerApi } from '../../src/main/sync/server-api';
import { listeningServer, type ListeningServer } from '../support/client-session';

/** A plain forward proxy on loopback, as a school's would be: it relays and notes each request. */
function forwardProxy(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url}`);
    const target = new URL(incoming.url ?? '/');
    const relay = httpRequest(
      target,
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    relay.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(relay);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, seen });
    });
  });
}

describe('the exam server through the managed proxy', () => {
  let exam: ListeningServer;
  let proxy: Awaited<ReturnType<typeof forwardProxy>>;

  beforeAll(async () => {
    exam = await listeningServer();
    proxy = await forwardProxy();
  });
  afterAll(async () => {
    proxy?.server.close();
    await exam?.stop();
  });

  it('sends the client’s requests by way of the proxy', async () => {
    const api = new ServerApi({ baseUrl: exam.url, proxy: proxy.url });
    const outcome = await api.examPackage();
    // Not signed in: the server's own refusal came back through the proxy.
    expect(outcome).toMatchObject({ kind: 'refused', refusal: { code: 'token' } });
    expect(proxy.seen).toEqual([`GET ${exam.url}/api/v1/client/exam-package`]);
  });
});
