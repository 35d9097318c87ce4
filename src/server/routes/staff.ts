import type { FastifyPluginAsync } from 'fastify';

import { MAX_BATCH_BYTES } from '../../common/api';
import { STAFF_API_PREFIX } from '../../common/staff-api';
import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
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
import { roomRoutes } from './staff-room';
import { rosterRoutes } from './staff-roster';

/** Every guarded staff route; the authorisation test is generated from this table. */
export const STAFF_ROUTES: readonly StaffRouteDef[] = [
  ...accountRoutes,
  ...examRoutes,
  ...candidateRoutes,
  ...roomRoutes,
  ...rosterRoutes,
  ...liveRoutes,
  ...handInRoutes,
  ...privacyRoutes,
];

const SIGN_IN = STAFF_ROUTE_TABLE.signIn;
export const STAFF_SIGN_IN = `${STAFF_API_PREFIX}${SIGN_IN.path}`;

export function staffRoutes(context: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', sameOriginOnly(context.publicUrl));
    // Candidate lists arrive as CSV files; the handler decodes and checks them.
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );

    // The route table's one public route: no session to check, so not through the guard.
    app.route({
      method: SIGN_IN.method,
      url: STAFF_SIGN_IN,
      schema: { body: SIGN_IN.body, response: { '2xx': SIGN_IN.response } },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      handler: async (request, reply) => {
        const { email, password } = SIGN_IN.body.parse(request.body);
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
