import { Agent } from 'node:http';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ServerApi } from '../../src/main/sync/server-api';
import {
  drained,
  listeningServer,
  testClient,
  until,
  type ListeningServer,
  type TestClient,
} from '../support/client-session';
import { FaultProxy } from '../support/fault-proxy';

/**
 * The network goes silent (nothing refused, nothing answered: a dead Wi-Fi) while the candidate
 * writes, then returns. Requests sent meanwhile hang until their timeout, here a minute; the
 * client must notice the return by itself and send everything at once, not wait that out.
 * Production timings otherwise: the policy's 10 s heartbeat, the outbox's own backoff.
 * (How fast is bench/catch-up.bench.ts; this says only "not after the timeout".)
 */
describe.each([true, false])('catching up after a silent outage (keep-alive %s)', (keepAlive) => {
  let server: ListeningServer;
  let proxy: FaultProxy;
  let client: TestClient;

  beforeEach(async () => {
    server = await listeningServer();
    proxy = await FaultProxy.start(server.port);
    const api = new ServerApi({
      baseUrl: proxy.url,
      publicUrl: server.publicUrl,
      timeoutMs: 60_000,
      httpAgent: new Agent({ keepAlive }),
    });
    client = await testClient(server, proxy.url, {
      api,
      tuning: { heartbeatIntervalMs: undefined, baseDelayMs: undefined, maxDelayMs: undefined },
    });
  });

  afterEach(async () => {
    proxy.blackhole = false;
    await client.cleanup();
    await proxy.close();
    await server.stop();
  });

  it('sends what was written offline soon after the network returns', async () => {
    const { session } = client;
    await session.signIn({ examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' });
    await session.startExam();
    await until(() => drained(session), 'the first upload');

    proxy.goSilent();
    for (let i = 0; i < 20; i += 1) {
      await session.record('focus.regained', { durationMs: i });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // Long enough for the uploads and a probe to be sent into the silence and hang there.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(drained(session)).toBe(false);
    proxy.blackhole = false;
    // Well inside the minute the hung requests would wait, even on a loaded machine.
    await until(() => drained(session), 'the catch-up', 25_000);
    expect(session.state().connectivity).toBe('online');
  }, 60_000);
});
