import type { Socket } from 'node:net';

import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';

import { HttpError } from './errors';

/**
 * How long a connection may take, so silent or slow callers cannot hold the server's file
 * handles (a laptop on a poor link still gets its answer: a full upload batch at 64 kbit/s
 * arrives within the request timeout).
 */
export interface ServerTimeouts {
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** The headers must arrive within this. */
  headersTimeoutMs: number;
  /** A connection with no traffic either way this long is closed (live streams ping every 15 s). */
  connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
  connectionTimeoutMs: 60_000,
  keepAliveTimeoutMs: 10_000,
};

/** What production adds (server.ts): a cap per address, and 503 before the event loop drowns. */
export interface ServerLimits {
  /**
   * Open connections one address may hold (VAKT_MAX_CONNECTIONS_PER_ADDRESS); more are closed
   * at once. A hall behind one NAT address shares it, and a proxy's own address is exempt.
   */
  maxConnectionsPerAddress: number;
  /** Answer 503 with Retry-After when the event loop lags this much (ms). */
  maxEventLoopDelayMs: number;
  /** Addresses never capped: the proxies VAKT_TRUST_PROXY names (they carry everyone). */
  exempt?: readonly string[];
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConnectionsPerAddress: 1_000,
  maxEventLoopDelayMs: 1_000,
};

/** Seconds a client is told to wait when the server is overloaded. */
const RETRY_AFTER_SECONDS = 5;

/** The overloaded server's answer: 503, and when to come back. */
class ServerBusyError extends HttpError {
  constructor() {
    super(503, 'busy', `The server is overloaded. Try again in ${RETRY_AFTER_SECONDS} seconds.`, {
      'retry-after': String(RETRY_AFTER_SECONDS),
    });
  }
}

/** Applies the header timeout, which Fastify has no option for (Node's own must be ≤ request's). */
export function applyHeadersTimeout(app: FastifyInstance, timeouts: ServerTimeouts): void {
  app.server.headersTimeout = Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs);
}

/**
 * The production limits: connections over the per-address cap are closed before a byte is
 * read; under pressure every request is answered 503 with Retry-After (the client's sync
 * retries later; nothing is lost), health included, so a load balancer sends elsewhere.
 */
export async function applyLimits(app: FastifyInstance, limits: ServerLimits): Promise<void> {
  const open = new Map<string, number>();
  const exempt = new Set(limits.exempt ?? []);
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (exempt.has(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  await app.register(underPressure, {
    maxEventLoopDelay: limits.maxEventLoopDelayMs,
    retryAfter: RETRY_AFTER_SECONDS,
    // Thrown to the error handler, which answers as for any other refusal.
    customError: ServerBusyError,
  });
}
