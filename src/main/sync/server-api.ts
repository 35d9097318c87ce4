import type { Agent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';

import {
  ackSchema,
  apiErrorSchema,
  CLIENT_ROUTES,
  heartbeatResponseSchema,
  latestAnswersResponseSchema,
  signedExamPackageSchema,
  signInResponseSchema,
  type Ack,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type SignedExamPackage,
  type SignInRequest,
  type SignInResponse,
  type UploadRequest,
} from '../../common/api';
import { configKeyRequestHash, CONFIG_KEY_HEADER } from '../../common/config-key';
import type { ProblemParams } from '../../common/problems';
import { refusalSchema, type Refusal } from '../../common/refusals';
import { describeIssues } from '../../common/validation';

/**
 * What one request to the exam server came to. `unreachable` is worth retrying (no answer, a
 * cut connection, a 5xx, a garbled reply); `refused` is a sync refusal from the closed list;
 * `rejected` is any other 4xx, which a retry would only repeat.
 */
export type ApiOutcome<T> =
  | { kind: 'ok'; value: T; sentAt: number; receivedAt: number; order?: number }
  | { kind: 'refused'; refusal: Refusal }
  /** `aborted`: given up by `abortSentBefore` (the network came back after it was sent). */
  | { kind: 'unreachable'; message: string; order?: number; aborted?: boolean }
  | { kind: 'rejected'; status: number; code: string; message: string; params?: ProblemParams };

/** Per request: a timeout of its own, a signal its caller gives it up with. */
export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * `abortSentBefore` may give it up (uploads and heartbeats only; default false): a request
   * sent again after being given up once is not, nor is a sign-in.
   */
  abortable?: boolean;
}

export interface ServerApiOptions {
  /** Where requests go, e.g. `https://exam.school.example`. */
  baseUrl: string;
  /** The server's configured public URL, which the config-key hash covers (default: baseUrl). */
  publicUrl?: string;
  timeoutMs?: number;
  now?: () => number;
  /** An agent of one's own (tests turn keep-alive off so each request has its own connection). */
  httpAgent?: Agent;
  /** For https: one of one's own (tests trust their own certificate authority with it). */
  httpsAgent?: HttpsAgent;
  /** A proxy from the managed settings (`http://proxy.school.no:3128`). */
  proxy?: string;
}

/**
 * The candidate API over axios: every reply is checked against the shared schema, and every
 * failure becomes an outcome, never a throw. Redirects are not followed (a redirect to another
 * host would carry the token there).
 */
export class ServerApi {
  private readonly http: AxiosInstance;
  private readonly publicUrl: string;
  private readonly now: () => number;
  private token: string | null = null;
  private configKey: string | null = null;
  /**
   * Requests are numbered as they go out (`order`: not the wall clock, which can step back);
   * the abortable ones under way are kept, so `abortSentBefore` can give up the old ones.
   */
  private sent = 0;
  private readonly underWay = new Map<AbortController, number>();

  constructor(options: ServerApiOptions) {
    this.publicUrl = options.publicUrl ?? options.baseUrl;
    this.now = options.now ?? Date.now;
    this.http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 15_000,
      maxRedirects: 0,
      validateStatus: () => true,
      headers: { 'content-type': 'application/json' },
      ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
      ...(options.httpsAgent ? { httpsAgent: options.httpsAgent } : {}),
      ...(options.proxy ? { proxy: proxyConfig(options.proxy) } : {}),
    });
  }

  /** The session token for every request after sign-in. */
  setToken(token: string | null): void {
    this.token = token;
  }

  /** The exam's config key, once the package is verified; every later request carries its hash. */
  setConfigKey(key: string | null): void {
    this.configKey = key;
  }

  signIn(request: SignInRequest): Promise<ApiOutcome<SignInResponse>> {
    return this.call('POST', CLIENT_ROUTES.signIn, request, signInResponseSchema);
  }

  examPackage(): Promise<ApiOutcome<SignedExamPackage>> {
    return this.call('GET', CLIENT_ROUTES.examPackage, undefined, signedExamPackageSchema);
  }

  upload(request: UploadRequest, options: CallOptions = {}): Promise<ApiOutcome<Ack>> {
    return this.call('POST', CLIENT_ROUTES.records, request, ackSchema, options);
  }

  /** `timeoutMs`: a probe while the network is down waits less than a request does. */
  heartbeat(
    request: HeartbeatRequest,
    options: CallOptions = {},
  ): Promise<ApiOutcome<HeartbeatResponse>> {
    return this.call('POST', CLIENT_ROUTES.heartbeat, request, heartbeatResponseSchema, options);
  }

  latestAnswers(): Promise<ApiOutcome<z.infer<typeof latestAnswersResponseSchema>>> {
    return this.call('GET', CLIENT_ROUTES.answers, undefined, latestAnswersResponseSchema);
  }

  /**
   * Gives up the abortable requests sent before request `order` that are still waiting (they
   * end `unreachable`, `aborted`):
   * the network came back, and a request sent while it was down may hang on a dead connection
   * or in the kernel's connect retries long after. Each is safe to send again.
   */
  abortSentBefore(order: number): void {
    for (const [controller, sent] of this.underWay) if (sent < order) controller.abort();
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    schema: S,
    options: CallOptions = {},
  ): Promise<ApiOutcome<z.output<S>>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.configKey)
      headers[CONFIG_KEY_HEADER] = configKeyRequestHash(this.publicUrl, url, this.configKey);
    const sentAt = this.now();
    const order = ++this.sent;
    const controller = new AbortController();
    if (options.abortable === true) this.underWay.set(controller, order);
    let response;
    try {
      response = await this.http.request<unknown>({
        method,
        url,
        data: body,
        headers,
        signal: options.signal
          ? AbortSignal.any([controller.signal, options.signal])
          : controller.signal,
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      });
    } catch (error) {
      const aborted = axios.isCancel(error) && controller.signal.aborted;
      return {
        kind: 'unreachable',
        message: networkMessage(error),
        order,
        ...(aborted ? { aborted } : {}),
      };
    } finally {
      this.underWay.delete(controller);
    }
    const receivedAt = this.now();
    const { status, data } = response;
    if (status >= 200 && status < 300) {
      const parsed = schema.safeParse(data);
      if (parsed.success) return { kind: 'ok', value: parsed.data, sentAt, receivedAt, order };
      return {
        kind: 'unreachable',
        message: `The server's reply was not understood: ${describeIssues(parsed.error, 'reply').join('; ')}`,
      };
    }
    const refusal = refusalSchema.safeParse(data);
    if (refusal.success) return { kind: 'refused', refusal: refusal.data };
    if (status >= 500 || status === 429 || status === 408) {
      return { kind: 'unreachable', message: `The server answered ${status}.` };
    }
    const error = apiErrorSchema.safeParse(data);
    return error.success
      ? { kind: 'rejected', status, ...error.data.error }
      : {
          kind: 'rejected',
          status,
          code: `http-${status}`,
          message: `The server answered ${status}.`,
        };
  }
}

function networkMessage(error: unknown): string {
  if (axios.isCancel(error)) return 'Given up: sent while the network was down.';
  if (axios.isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT')
      return 'The server did not answer in time.';
    if (error.code === 'ECONNREFUSED') return 'The server refused the connection.';
    return `The connection failed (${error.code ?? error.message}).`;
  }
  return `The connection failed (${String(error)}).`;
}

/** axios's form of a proxy address (http or https proxies; a SOCKS proxy is Chromium's only). */
function proxyConfig(address: string): { protocol: string; host: string; port: number } | false {
  const url = new URL(address);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return { protocol: url.protocol.slice(0, -1), host: url.hostname, port };
}
