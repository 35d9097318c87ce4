import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * A schema-aware fuzzer driven by the server's own OpenAPI document: for every operation it
 * builds a request that fits the schema, then breaks it one way — invalid text (lone
 * surrogates, NUL, 100 KiB strings), huge and odd numbers, deep nesting, wrong types,
 * duplicated keys, missing and unknown fields, prototype keys, broken JSON, hostile path
 * parameters — and sends it over real HTTP. Used by `npm run bench -- fuzz` (100,000
 * requests) and by a CI test (5,000).
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

export interface Operation {
  method: string;
  /** With `{name}` placeholders. */
  path: string;
  pathParams: string[];
  query: Record<string, JsonSchema>;
  body: JsonSchema | null;
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema?: JsonSchema }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
}

export function operationsOf(document: unknown): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries((document as OpenApi).paths)) {
    for (const [method, spec] of Object.entries(methods)) {
      const parameters = spec.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(
          parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]),
        ),
        body: spec.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return operations;
}

/** A small seeded generator (mulberry32), so a failing run can be repeated. */
export class Random {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const HEX = '0123456789abcdef';

function fromPattern(pattern: string, random: Random): string | null {
  const hex = /^\^\[0-9a-f\]\{(\d+)\}\$$/.exec(pattern);
  if (hex) return Array.from({ length: Number(hex[1]) }, () => random.pick([...HEX])).join('');
  if (pattern.includes('[1-8][0-9a-fA-F]{3}')) return randomUUID();
  if (pattern.includes('\\d+\\.\\d+\\.\\d+')) return `${random.int(3)}.${random.int(9)}.0`;
  return null;
}

/** A value that fits `schema`, as far as this generator understands it. */
export function valid(schema: JsonSchema, random: Random, depth = 0): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return random.pick(schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union && union.length > 0) return valid(random.pick(union), random, depth + 1);
  const type = Array.isArray(schema.type) ? random.pick(schema.type) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(key) || random.next() < 0.5)
          out[key] = valid(member, random, depth + 1);
      }
      return out;
    }
    case 'array':
      return depth > 4
        ? []
        : Array.from({ length: random.int(3) }, () => valid(schema.items ?? {}, random, depth + 1));
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? 1_000, min + 1_000);
      return min + random.int(Math.max(1, max - min));
    }
    case 'boolean':
      return random.next() < 0.5;
    case 'null':
      return null;
    case 'string': {
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date-time') return new Date(random.int(2e12)).toISOString();
      if (schema.format === 'email') return `fuzz${random.int(1e6)}@vakt.test`;
      const patterned = schema.pattern ? fromPattern(schema.pattern, random) : null;
      if (patterned !== null) return patterned;
      const length = Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? 12, 12));
      return Array.from({ length }, () => random.pick([...'abcXYZ019 -_æøå'])).join('');
    }
    default:
      return random.pick([1, 'x', null, {}, []]);
  }
}

const EVIL_STRINGS = [
  '\ud800',
  'tail \udfff',
  '\u0000',
  'x'.repeat(100_000),
  '${jndi:ldap://127.0.0.1/a}',
  "'; drop table records; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '🫐'.repeat(1_000),
  '',
  ' ',
];
const EVIL_NUMBERS = [-1, 0, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 1.5, Number.MIN_VALUE];
const EVIL_VALUES: unknown[] = [null, true, [], {}, 'string', 42, [[[[]]]], { a: { b: {} } }];

/** Every JSON path (as keys) in `value`, root included. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (value && typeof value === 'object' && prefix.length < 6) {
    for (const [key, member] of Object.entries(value))
      paths(member, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Integers past 2^53, as raw JSON text (JavaScript cannot hold them as numbers). */
const HUGE_INTEGER_TEXT = ['9007199254740993', '1' + '0'.repeat(400), '-1e999'];

/** One broken (or, one time in twelve, unbroken) JSON body for `schema`, as text. */
export function mutatedBody(schema: JsonSchema, random: Random): string {
  const base = valid(schema, random);
  const roll = random.int(12);
  const at = random.pick(paths(base));
  switch (roll) {
    case 0:
      return JSON.stringify(base);
    case 1:
      return JSON.stringify(setAt(base, at, random.pick(EVIL_STRINGS)));
    case 2:
      return JSON.stringify(setAt(base, at, random.pick(EVIL_NUMBERS)));
    case 3:
      return JSON.stringify(setAt(base, at, random.pick(EVIL_VALUES)));
    case 4: {
      // Deep nesting, as raw text: up to half a megabyte of brackets.
      const text = JSON.stringify(setAt(base, at, 0));
      const depth = random.pick([100, 10_000, 250_000]);
      return text.replace(/0(?=[,}\]]|$)/, nested(depth));
    }
    case 5: {
      // A duplicated key: JSON.parse keeps the last; a checker that reads the first is fooled.
      const text = JSON.stringify(base);
      return text.startsWith('{"') ? text.replace(/^\{("[^"]+":)/, '{$1"duplicate",$1') : text;
    }
    case 6: {
      if (!base || typeof base !== 'object' || Array.isArray(base)) return JSON.stringify(base);
      const keys = Object.keys(base);
      const copy = { ...(base as Record<string, unknown>) };
      if (keys.length > 0) delete copy[random.pick(keys)];
      return JSON.stringify(copy);
    }
    case 7:
      return JSON.stringify(
        base && typeof base === 'object' ? { ...base, unexpected: random.pick(EVIL_VALUES) } : base,
      );
    case 8:
      return JSON.stringify(base).replace(
        /^\{/,
        '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},',
      );
    case 9:
      return random.pick(['{', '{"a":', 'nul', '[1,2', '"\\ud800"', '\u0000', '{}}', '']);
    case 10:
      return random.next() < 0.5
        ? JSON.stringify(base).replace(/"([^"\\]{1,8})"/, '"\\ud83d$1"')
        : JSON.stringify(base).replace(/:(-?\d+)/, `:${random.pick(HUGE_INTEGER_TEXT)}`);
    default:
      return JSON.stringify(setAt(base, at, 'x'.repeat(random.int(4) === 0 ? 2_000_000 : 300)));
  }
}

const EVIL_SEGMENTS = [
  '%ED%A0%80',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(5_000),
  '%F0%9F%AB%90',
  '%',
  '-1',
  "1'or'1'='1",
];

export interface FuzzTarget {
  base: string;
  /** Ids that exist (for valid path parameters). */
  ids: Record<string, string>;
  /** Candidate headers for a path (token and config-key hash), and staff headers. */
  candidateHeaders: (path: string) => Record<string, string>;
  staffHeaders: Record<string, string>;
  localAddress: string;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

export function fuzzRequest(operation: Operation, target: FuzzTarget, random: Random): FuzzRequest {
  let path = operation.path;
  for (const name of operation.pathParams) {
    const roll = random.int(4);
    const value =
      roll < 2 && target.ids[name]
        ? target.ids[name]
        : roll === 2
          ? randomUUID()
          : random.pick(EVIL_SEGMENTS);
    path = path.replace(`{${name}}`, value);
  }
  const query = Object.keys(operation.query)
    .map((name) => `${name}=${random.pick(['10', '-5', '1e999', '%ED%A0%80', 'abc', ''])}`)
    .join('&');
  if (query) path += `?${query}`;
  const auth = random.int(4);
  const headers: Record<string, string> =
    auth === 0
      ? {}
      : auth === 1
        ? target.candidateHeaders(path)
        : auth === 2
          ? { ...target.staffHeaders }
          : { authorization: `Bearer ${random.pick(['', 'x', 'a'.repeat(5_000), randomUUID()])}` };
  let body: string | null = null;
  if (operation.body || random.int(5) === 0) {
    body = mutatedBody(operation.body ?? { type: 'object' }, random);
    headers['content-type'] = random.pick([
      'application/json',
      'application/json',
      'application/json',
      'text/plain',
      'application/json; charset=latin1',
      'text/csv',
    ]);
  }
  return { method: operation.method, path, headers, body };
}

export interface FuzzOutcome {
  sent: number;
  byStatus: Record<number, number>;
  serverErrors: string[];
  dropped: string[];
}

/** Sends `count` fuzzed requests, `concurrency` at a time, and tallies what came back. */
export async function fuzz(
  operations: readonly Operation[],
  target: FuzzTarget,
  count: number,
  seed: number,
  concurrency = 8,
): Promise<FuzzOutcome> {
  const random = new Random(seed);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: concurrency,
    localAddress: target.localAddress,
  });
  const outcome: FuzzOutcome = { sent: 0, byStatus: {}, serverErrors: [], dropped: [] };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const call = fuzzRequest(random.pick(operations), target, random);
      try {
        const { status, body } = await send(agent, target.base, call);
        outcome.byStatus[status] = (outcome.byStatus[status] ?? 0) + 1;
        if (status >= 500)
          outcome.serverErrors.push(
            `${status} ${call.method} ${call.path.slice(0, 200)} ${(call.body ?? '').slice(0, 300)}: ${body.slice(0, 300)}`,
          );
      } catch (error) {
        const { code, reusedSocket } = error as { code?: string; reusedSocket?: boolean };
        outcome.dropped.push(
          `${call.method} ${call.path.slice(0, 200)} (${call.body?.length ?? 0} bytes, ${reusedSocket ? 'reused' : 'new'} socket): ${(error as Error).message} ${code ?? ''} ${JSON.stringify(call.headers).slice(0, 300)} ${(call.body ?? '').slice(0, 200)}`,
        );
      }
      outcome.sent += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return outcome;
}

/**
 * A kept-alive socket the server closed after its last answer fails the next request sent on
 * it before the close is seen — a race every HTTP client has, not a dropped request. As Node's
 * documentation advises, such a request is sent again on a new connection; a request that
 * fails on a new connection counts as dropped.
 */
async function send(
  agent: Agent,
  base: string,
  call: FuzzRequest,
): Promise<{ status: number; body: string }> {
  try {
    return await sendOnce(agent, base, call);
  } catch (error) {
    if (!(error as { reusedSocket?: boolean }).reusedSocket) throw error;
    return sendOnce(false, base, call);
  }
}

function sendOnce(
  agent: Agent | false,
  base: string,
  call: FuzzRequest,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // An answer that arrived counts, even if the socket then fails while a large body is still
    // being written (the server may answer 413 or 404 and close before reading it all).
    let answered: { status: number; body: string } | null = null;
    // Node sends a GET's body with no length unless told, which is not HTTP but garbage.
    const headers =
      call.body === null
        ? call.headers
        : { ...call.headers, 'content-length': String(Buffer.byteLength(call.body)) };
    const req = request(
      `${base}${call.path}`,
      { method: call.method, headers, agent, timeout: 30_000 },
      (res) => {
        answered = { status: res.statusCode ?? 0, body: '' };
        const answer = answered;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (answer.body.length < 10_000) answer.body += chunk;
        });
        res.on('end', () => resolve(answer));
        res.on('error', () => resolve(answer));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', (error) => {
      if (answered) resolve(answered);
      else reject(Object.assign(error, { reusedSocket: req.reusedSocket }));
    });
    req.end(call.body ?? undefined);
  });
}
