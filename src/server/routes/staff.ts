import type { FastifyPluginAsync } from 'fastify';

import { MAX_BATCH_BYTES } from '../../common/api';
import { STAFF_API_PREFIX, staffSignInSchema } from '../../common/staff-api';
import { clientAddress } from '../auth/client-address';
import type { ServerContext } from '../context';

import { sameOriginOnly } from './same-origin';
import { accountRoutes, STAFF_SESSION_MS, staffSignIn } from './staff-account';
import { candidateRoutes } from './staff-candidates';
import { examRoutes } from './staff-exams';
import { guarded, SESSION_BUCKET_MS, STAFF_COOKIE, type StaffRouteDef } from './staff-guard';
import { handInRoutes } from './staff-hand-in';
import { liveRoutes } from './staff-live';
import { privacyRoutes } from './staff-privacy';

/** Every guarded staff route; the authorisation test is generated from this table. */
export const STAFF_ROUTES: readonly StaffRouteDef[] = [
  ...accountRoutes,
  ...examRoutes,
  ...candidateRoutes,
  ...liveRoutes,
  ...handInRoutes,
  ...privacyRoutes,
];

export const STAFF_SIGN_IN = `${STAFF_API_PREFIX}/sign-in`;

export function staffRoutes(context: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', sameOriginOnly(context.publicUrl));
    // Candidate lists arrive as CSV files; the handler decodes and checks them.
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );

    app.post(STAFF_SIGN_IN, {
      schema: { body: staffSignInSchema },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      handler: async (request, reply) => {
        const { email, password } = staffSignInSchema.parse(request.body);
        const { token, user } = await staffSignIn(context, {
          email,
          password,
          address: clientAddress(request),
        });
        context.verifiedTokens?.remember(token, context.now() + SESSION_BUCKET_MS);
        void reply.setCookie(STAFF_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: context.publicUrl.startsWith('https:'),
          path: '/',
          maxAge: STAFF_SESSION_MS / 1000,
        });
        return { user };
      },
    });

    for (const def of STAFF_ROUTES) {
      const { body, querystring, response } = def.route;
      const route = {
        method: def.method,
        url: `${STAFF_API_PREFIX}${def.url}`,
        schema: {
          ...(body ? { body } : {}),
          ...(querystring ? { querystring } : {}),
          ...(response ? { response: { '2xx': response } } : {}),
        },
        ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
        handler: guarded(def, context),
      };
      if (!def.rawBody) {
        app.route(route);
        continue;
      }
      // Its own encapsulated context, so only this route takes JSON unparsed.
      await app.register(async (raw) => {
        raw.removeContentTypeParser('application/json');
        raw.addContentTypeParser(
          'application/json',
          { parseAs: 'buffer', bodyLimit: def.bodyLimit ?? MAX_BATCH_BYTES },
          (_request, body, done) => done(null, body),
        );
        raw.route(route);
        return Promise.resolve();
      });
    }
  };
}
