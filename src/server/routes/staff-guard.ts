import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

import type { AuditAction } from '../../common/audit-actions';
import type { StaffUser } from '../../common/staff-api';
import type {
  ParsedBody,
  ParsedQuery,
  PathParams,
  StaffRouteSpec,
} from '../../common/staff-routes';
import { clientAddress } from '../auth/client-address';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { audit, type AuditOutcome } from '../repositories/audit';
import { isCandidateOf } from '../repositories/candidates';
import { findExam, type Exam } from '../repositories/exams';
import { isAssigned, staffForSession } from '../repositories/staff';

export const STAFF_COOKIE = 'vakt_staff';
/** How long a verified staff session keeps its own rate-limit bucket without a call. */
export const SESSION_BUCKET_MS = 10 * 60_000;

/**
 * Who may call a staff route: anyone (sign-in), any signed-in staff member, admins only, or
 * staff of the exam named in the URL (admins, and invigilators assigned to it).
 */
export type Access = 'public' | 'signed-in' | 'admin' | 'exam';
/** The access levels a guarded route (signed-in staff) has. */
export type GuardedAccess = Exclude<Access, 'public'>;

export interface StaffCall<
  S extends StaffRouteSpec = StaffRouteSpec,
  A extends GuardedAccess = GuardedAccess,
> {
  request: FastifyRequest;
  reply: FastifyReply;
  user: StaffUser;
  /** The exam named in the URL: an exam-scoped route always has it, others never. */
  exam: A extends 'exam' ? Exam : GuardedAccess extends A ? Exam | null : null;
  params: PathParams<S['path']>;
  /** The body and query as the route's schemas validated (and transformed) them. */
  body: ParsedBody<S>;
  query: ParsedQuery<S>;
  /** Adds detail to the audit entry written when the call ends. */
  note: (detail: string) => void;
}

/** What the handler answers: what the route's response schema takes. */
type HandlerAnswer<S extends StaffRouteSpec> = S extends { response: z.ZodType }
  ? z.input<S['response']>
  : unknown;

export interface StaffRouteDef<
  S extends StaffRouteSpec = StaffRouteSpec,
  A extends GuardedAccess = GuardedAccess,
> {
  /** The route's contract in src/common/staff-routes.ts. */
  route: S;
  method: S['method'];
  /** Relative to /api/v1/staff. */
  url: S['path'];
  access: A;
  /** The audit log's name for this action. */
  action: AuditAction;
  /** A larger body limit than the server's default (hand-in files). */
  bodyLimit?: number;
  /**
   * A successful call that need not be audited: repeats of what an audited call already
   * showed (the rows a live stream, itself audited, names; who am I). Denials and failures
   * are always audited.
   */
  quietWhenOk?: (request: FastifyRequest) => boolean;
  /** The JSON body arrives unparsed, as a Buffer, for the handler to parse off the event loop. */
  rawBody?: boolean;
  handler(call: StaffCall<S, A>, context: ServerContext): Promise<HandlerAnswer<S>>;
}

/** A handler for a route of the table, typed by its schemas and its access level. */
export function staffRoute<S extends StaffRouteSpec, A extends GuardedAccess>(
  route: S,
  def: Omit<StaffRouteDef<S, A>, 'route' | 'method' | 'url'>,
): StaffRouteDef {
  // The guard gives each handler what its access level promises (an exam for 'exam').
  return { ...def, route, method: route.method, url: route.path } as unknown as StaffRouteDef;
}

function targetOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}

/** Resolves the caller, enforces access, runs the handler and writes one audit entry. */
export function guarded(def: StaffRouteDef, context: ServerContext) {
  const { db } = context.storage;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const token = request.cookies[STAFF_COOKIE];
    const user = token ? await staffForSession(db, token, context.now()) : null;
    if (!user) throw new HttpError(401, 'signed-out', 'Sign in to continue.');
    // Its own rate-limit bucket from now on (for a while; every call renews it).
    context.verifiedTokens?.remember(token!, context.now() + SESSION_BUCKET_MS);
    const params = request.params as Record<string, string | undefined>;
    const record = (outcome: AuditOutcome, detail: string) =>
      audit(
        db,
        {
          actorId: user.id,
          actorEmail: user.email,
          address: clientAddress(request),
          action: def.action,
          target: targetOf(request),
          outcome,
          detail,
        },
        context.now(),
        context.storage.dialect,
      );

    if (def.access === 'admin' && user.role !== 'admin') {
      await record('denied', 'admin only');
      throw new HttpError(403, 'forbidden', 'Only an administrator can do this.');
    }
    let exam: Exam | null = null;
    if (def.access === 'exam') {
      const named = await findExam(db, params.examId ?? '');
      const allowed =
        named !== null && (user.role === 'admin' || (await isAssigned(db, user.id, named.id)));
      if (!allowed) {
        // The same answer whether the exam does not exist or is someone else's.
        await record('denied', named ? 'not assigned to this exam' : 'no such exam');
        throw new HttpError(404, 'not-found', 'No such exam, or it is not assigned to you.');
      }
      exam = named;
      if (params.candidateId !== undefined) {
        if (!(await isCandidateOf(db, exam.id, params.candidateId))) {
          await record('denied', 'candidate not in this exam');
          throw new HttpError(404, 'not-found', 'No such candidate in this exam.');
        }
      }
    }
    const details: string[] = [];
    try {
      const result = await def.handler(
        {
          request,
          reply,
          user,
          exam,
          params: params,
          body: request.body,
          query: request.query,
          note: (detail) => details.push(detail),
        },
        context,
      );
      if (!def.quietWhenOk?.(request)) await record('ok', details.join('; '));
      return result;
    } catch (error) {
      await record('failed', error instanceof Error ? error.message : 'failed');
      throw error;
    }
  };
}
