import { connect, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { listeningServer, type ListeningServer } from '../support/client-session';
import { httpFrom } from '../support/net';

/** Short timeouts, so the test sees them act; production's are in limits.ts. */
const TIMEOUTS = {
  requestTimeoutMs: 3_000,
  headersTimeoutMs: 2_000,
  connectionTimeoutMs: 3_000,
  keepAliveTimeoutMs: 1_000,
};

/**
 * Slow and silent callers cannot hold the server: connections that send headers and a
 * Content-Length and then nothing are closed after the request timeout, one address cannot
 * hold more than its share, and meanwhile everyone else is answered. Under pressure the
 * server answers 503 with Retry-After rather than drowning.
 */
describe('slow and silent callers', () => {
  let server: ListeningServer;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await server.stop();
  });

  /** A caller from `from` that sends a request's headers and then nothing; resolves on close. */
  function silentCaller(from: string): { closed: Promise<void> } {
    const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: from });
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('connect', () =>
      socket.write(
        'POST /api/v1/client/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
      ),
    );
    return { closed: new Promise((resolve) => socket.once('close', () => resolve())) };
  }

  it('closes them after the request timeout, caps one address, and answers others meanwhile', async () => {
    server = await listeningServer('sqlite', {
      timeouts: TIMEOUTS,
      limits: { maxConnectionsPerAddress: 30, maxEventLoopDelayMs: 10_000 },
    });
    const held = Array.from({ length: 30 }, () => silentCaller('127.0.0.3'));
    // Over the address's cap: closed at once, without a byte read.
    const over = Array.from({ length: 10 }, () => silentCaller('127.0.0.3'));
    const overClosedAt = Date.now();
    await Promise.all(over.map((caller) => caller.closed));
    expect(Date.now() - overClosedAt).toBeLessThan(TIMEOUTS.requestTimeoutMs);

    // Everyone else is answered while they are held.
    const health = await httpFrom('127.0.0.1', `${server.url}/api/health`);
    expect(health.status).toBe(200);
    const ready = await httpFrom('127.0.0.4', `${server.url}/api/ready`);
    expect(ready.status).toBe(200);

    // The held ones are let go: none is kept past the timeouts (with room for a busy machine).
    const started = Date.now();
    await Promise.all(held.map((caller) => caller.closed));
    expect(Date.now() - started).toBeLessThan(TIMEOUTS.requestTimeoutMs + 10_000);
    // And the address may connect again.
    expect((await httpFrom('127.0.0.3', `${server.url}/api/health`)).status).toBe(200);
    expect(server.serverErrors).toEqual([]);
  });

  it('answers 503 with Retry-After while the event loop lags, then serves again', async () => {
    server = await listeningServer('sqlite', {
      limits: { maxConnectionsPerAddress: 1_000, maxEventLoopDelayMs: 200 },
    });
    // Serving a while first (the stall monitor measures from its first tick on)…
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // …then the server's event loop is stuck for two seconds (a burst it cannot keep up with).
    const until = Date.now() + 2_000;
    while (Date.now() < until) {
      // busy
    }
    let busy: Awaited<ReturnType<typeof httpFrom>> | null = null;
    await expect
      .poll(
        async () => {
          const reply = await httpFrom('127.0.0.1', `${server.url}/api/health`);
          if (reply.status === 503) busy = reply;
          return busy !== null;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(true);
    expect(busy!.headers['retry-after']).toBe('5');
    expect(JSON.parse(busy!.body)).toMatchObject({ error: { code: 'busy' } });
    await expect
      .poll(async () => (await httpFrom('127.0.0.1', `${server.url}/api/health`)).status, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(200);
    // The 503s were the server's own choice, not a failure.
    expect(server.serverErrors.filter((line) => !line.includes(`"busy"`))).toEqual([]);
  });
});
