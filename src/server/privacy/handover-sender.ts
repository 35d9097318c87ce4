import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

import { Webhook } from 'standardwebhooks';

import type { Storage } from '../db/database';
import { audit } from '../repositories/audit';
import { claimDueHandovers } from '../repositories/handovers';

/** Where accepted submissions go (VAKT_HANDOVER_*), and how. */
export interface HandoverSettings {
  /** An https:// URL. */
  url: string;
  /** The Standard Webhooks secret the receiver verifies with (whsec_…). */
  secret: string;
  /** Allow a target on a private, loopback or link-local address (an internal system). */
  allowPrivateNetwork: boolean;
  /** Certificates (PEM) to trust besides the system's, for an internal system's own CA. */
  ca?: string;
}

/** First retry after 30 s, doubling to at most 6 h; given up on after 3 days. */
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;
const GIVE_UP_AFTER_MS = 3 * 24 * 3_600_000;
const TIMEOUT_MS = 15_000;
/** Hand-overs sent per round. */
const ROUND = 20;

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv6');

/** Whether an address is on a private, loopback, link-local or unspecified network. */
export function isPrivateAddress(address: string, family: number): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * DNS lookup for the connection itself, refusing private targets: the address checked is the
 * address connected to, so a name that resolves elsewhere on a second lookup cannot slip by.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const refused = found.find(({ address, family }) => isPrivateAddress(address, family));
      if (refused && !allowPrivate)
        return callback(privateTarget(hostname, refused.address), '', 4);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, found);
      const first = found[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function privateTarget(host: string, address: string): Error {
  const message = `${host} is on a private network (${address}); set VAKT_HANDOVER_ALLOW_PRIVATE=1 to allow it`;
  return Object.assign(new Error(message), { code: 'EPRIVATE' });
}

/** POSTs one signed hand-over; resolves on a 2xx answer, rejects with a reason otherwise. */
export function deliver(
  settings: HandoverSettings,
  message: { id: string; payload: string },
  now: number,
): Promise<void> {
  const signature = new Webhook(settings.secret).sign(message.id, new Date(now), message.payload);
  // An address in the URL is connected to without any lookup: checked here instead.
  const host = new URL(settings.url).hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family !== 0 && !settings.allowPrivateNetwork && isPrivateAddress(host, family))
    return Promise.reject(privateTarget(host, host));
  return new Promise((resolve, reject) => {
    const outgoing = request(settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'vakt-server',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(now / 1000)),
        'webhook-signature': signature,
      },
      lookup: guardedLookup(settings.allowPrivateNetwork),
      ...(settings.ca ? { ca: settings.ca } : {}),
      timeout: TIMEOUT_MS,
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer in 15 s')));
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve();
      else reject(new Error(`the receiver answered HTTP ${status}`));
    });
    outgoing.end(message.payload);
  });
}

export interface Round {
  delivered: number;
  failed: number;
  /** Given up on in this round (dead-lettered, audited, alerted). */
  dead: number;
}

/**
 * Sends queued hand-overs that are due, oldest first, each claimed first so that another
 * server process on the same database does not send it too. A failure is retried with backoff,
 * and one still failing after three days is given up on: marked dead, audited and logged as an
 * alert for an admin (GET /handovers lists what is undelivered).
 */
export async function deliverDue(
  storage: Storage,
  settings: HandoverSettings,
  now: number,
  alert: (line: string) => void,
): Promise<Round> {
  const { db } = storage;
  const due = await claimDueHandovers(storage, now, ROUND, ROUND * TIMEOUT_MS * 2);
  const round: Round = { delivered: 0, failed: 0, dead: 0 };
  for (const message of due) {
    try {
      await deliver(settings, message, now);
      await db
        .updateTable('handovers')
        .set({ delivered_at: now, attempts: message.attempts + 1, last_error: null })
        .where('id', '=', message.id)
        .execute();
      round.delivered += 1;
      continue;
    } catch (error) {
      const reason = ((error as Error).message || String(error)).slice(0, 300);
      const attempts = message.attempts + 1;
      // Three days from queueing, or from an admin's retry.
      const dead = now - (message.retried_at ?? message.created_at) >= GIVE_UP_AFTER_MS;
      const retry = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_RETRY_MS);
      await db
        .updateTable('handovers')
        .set({ attempts, last_error: reason, next_at: now + retry, dead_at: dead ? now : null })
        .where('id', '=', message.id)
        .execute();
      round.failed += 1;
      if (!dead) continue;
      round.dead += 1;
      alert(`ALERT: hand-over ${message.id} given up after ${attempts} attempts: ${reason}`);
      await audit(
        db,
        {
          actorId: null,
          actorEmail: 'server',
          address: 'local',
          action: 'handovers.dead-letter',
          target: `/handovers/${message.id}`,
          outcome: 'failed',
          detail: `${attempts} attempts; last: ${reason}`,
        },
        now,
        storage.dialect,
      );
    }
  }
  return round;
}

/** Sends due hand-overs every `everyMs` (a round at a time); returns a function that stops. */
export function startHandovers(
  storage: Storage,
  settings: HandoverSettings,
  options: { now: () => number; log: (line: string) => void; everyMs?: number },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverDue(storage, settings, options.now(), options.log)
      .catch((error: unknown) => options.log(`Hand-over round failed: ${(error as Error).message}`))
      .finally(() => (running = false));
  }, options.everyMs ?? 5_000);
  timer.unref();
  return () => clearInterval(timer);
}
