import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, CLIENT_ROUTES } from '../common/api';
import type { ProblemParams } from '../common/problems';
import { REFUSAL_HTTP_STATUS, type Refusal } from '../common/refusals';

import { isStalePlan } from './db/prepared-pool';

/** An error that becomes a 4xx with a message for the caller. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Sent with the answer (Retry-After on a 429). */
    readonly headers: Record<string, string> = {},
    /** For a client's own words: the time an exam opens, the seconds to wait. */
    readonly params?: ProblemParams,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Input that fails several checks at once: each problem is listed for the caller to show. */
export class InvalidInputError extends HttpError {
  readonly problems: readonly string[];

  constructor(code: string, problems: readonly string[]) {
    super(400, code, problems.join('; '));
    this.problems = problems.slice(0, 200);
  }
}

/** A sync refusal raised anywhere in a client route; sent as the response body. */
export class RefusalError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = 'RefusalError';
  }
}

export function sendRefusal(reply: FastifyReply, refusal: Refusal): FastifyReply {
  return reply.code(REFUSAL_HTTP_STATUS[refusal.code]).send(refusal);
}

function apiError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  params?: ProblemParams,
  problems?: readonly string[],
): FastifyReply {
  return reply.code(status).send({
    error: { code, message, ...(params ? { params } : {}), ...(problems ? { problems } : {}) },
  });
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-content-length',
  FST_ERR_RATE_LIMIT_EXCEEDED: 'rate-limited',
};

/** SQLSTATEs and socket errors that mean the database went away, not that we have a bug. */
const DATABASE_GONE = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // pg's own errors for a client whose connection died carry no code, only these words.
  return (
    (typeof code === 'string' && DATABASE_GONE.has(code)) ||
    // A kept plan outlived a schema change (another server migrated): the next try re-plans.
    isStalePlan(error) ||
    (typeof message === 'string' &&
      /connection terminated|not queryable|timeout exceeded when trying to connect|terminating connection/i.test(
        message,
      ))
  );
}

/** The error behind each 500, by request: for whoever is told of 5xx (tests report it whole). */
export const unexpectedErrors = new WeakMap<object, unknown>();

/**
 * Bad input gets a 4xx that says what was wrong; anything unexpected is a 500 and a bug —
 * logged, never disguised as the caller's fault.
 */
export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof RefusalError) return sendRefusal(reply, error.refusal);
  if (error instanceof HttpError) {
    void reply.headers(error.headers);
    const problems = error instanceof InvalidInputError ? error.problems : undefined;
    return apiError(reply, error.statusCode, error.code, error.message, error.params, problems);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const problems = error.validation.map((issue) => {
      const where = `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`;
      return `${where}: ${issue.message}`;
    });
    return apiError(reply, 400, 'invalid-request', problems.join('; '), undefined, problems);
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    if (request.url.startsWith(CLIENT_ROUTES.records)) {
      return sendRefusal(reply, {
        code: 'too-large',
        maxRecords: MAX_BATCH_RECORDS,
        maxBytes: MAX_BATCH_BYTES,
        message: `A batch may be at most ${MAX_BATCH_BYTES} bytes: split it.`,
      });
    }
    return apiError(reply, 413, 'too-large', 'The request body is too large.');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // The rate limiter's own error carries a status but no code.
    const code = FASTIFY_CODES[error.code] ?? (status === 429 ? 'rate-limited' : 'bad-request');
    return apiError(reply, status, code, error.message);
  }
  if (isDatabaseUnavailable(error)) {
    request.log.error({ err: error }, 'database unavailable');
    void reply.header('retry-after', '1');
    return apiError(
      reply,
      503,
      'unavailable',
      'The exam server lost its database for a moment; try again. Nothing you sent was half-stored.',
    );
  }
  request.log.error({ err: error }, 'unexpected error');
  unexpectedErrors.set(request, error);
  return apiError(
    reply,
    500,
    'internal',
    'The server failed unexpectedly; try again. If it keeps failing, tell the exam administrator.',
  );
}
