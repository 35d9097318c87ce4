import { readFileSync } from 'node:fs';
import { BlockList, isIP, isIPv4, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

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
  /**
   * An idle keep-alive connection is closed after this: longer than a proxy keeps its idle
   * connections to the server (nginx 60 s), or the proxy may send on one just closed (a 502).
   */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
  connectionTimeoutMs: 60_000,
  keepAliveTimeoutMs: 72_000,
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
  /**
   * Addresses and CIDR ranges never capped: the proxies VAKT_TRUST_PROXY names (they carry
   * everyone). A hop count names no address, so nothing is exempt then.
   */
  exempt?: readonly string[];
  /**
   * Open connections in all (default: from the process's file-handle limit, less a reserve
   * for the database and files), so the server never runs out of file handles.
   */
  maxConnections?: number;
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
 * Whether an address is one of `entries` (addresses, CIDR ranges; IPv4 also as a dual-stack
 * socket reports it, ::ffff:10.0.0.5).
 */
export function exemptFrom(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) continue;
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
    if (isIPv4(v4)) return list.check(v4, 'ipv4');
    return isIP(address) === 6 && list.check(address, 'ipv6');
  };
}

/** Handles kept for the database, its files, logs and workers, whatever the connections do. */
const RESERVED_HANDLES = 64;

/**
 * How many connections the process can hold without running out of file handles: its soft
 * limit (Linux: /proc/self/limits) less a reserve; null where it cannot be read.
 */
export function connectionBudget(limitsFile = '/proc/self/limits'): number | null {
  try {
    const line = readFileSync(limitsFile, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    if (!Number.isInteger(soft)) return null;
    return Math.max(16, soft - Math.max(RESERVED_HANDLES, Math.floor(soft / 10)));
  } catch {
    return null;
  }
}

/**
 * The production limits. Connections over the total (from the file-handle limit) or over one
 * address's share (its cap, and never more than half the total) are closed before a byte is
 * read. While the event loop stalls past the limit, every request is answered 503 with
 * Retry-After (the laptops retry; nothing is lost), health included, so a balancer sends
 * elsewhere. The stall is measured as @fastify/under-pressure measures it, without its
 * once-a-second read of memory use: that read throws EMFILE when file handles run out, which
 * ended the server in a test with 673 silent connections and a limit of 700.
 */
export function applyLimits(app: FastifyInstance, limits: ServerLimits): void {
  const total = limits.maxConnections ?? connectionBudget();
  if (total !== null) app.server.maxConnections = total;
  const perAddress =
    total === null
      ? limits.maxConnectionsPerAddress
      : Math.min(limits.maxConnectionsPerAddress, Math.max(1, Math.floor(total / 2)));
  const open = new Map<string, number>();
  const exempt = exemptFrom(limits.exempt ?? []);
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (exempt(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > perAddress) {
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

  // The longest stall of the event loop in the last second, in ms.
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  let stalledMs = 0;
  const sampler = setInterval(() => {
    stalledMs = stalls.max / 1e6;
    stalls.reset();
  }, 1_000);
  sampler.unref();
  app.addHook('onRequest', (_request, _reply, done) => {
    // For the second after a stall: what comes in meanwhile waits in a queue already.
    done(stalledMs > limits.maxEventLoopDelayMs ? new ServerBusyError() : undefined);
  });
  app.addHook('onClose', (_instance, done) => {
    clearInterval(sampler);
    stalls.disable();
    done();
  });
}
