import { VerifiedTokens } from './auth/verified-tokens';
import type { ServerContext, ServerParts } from './context';
import { HandIns } from './hand-in/hand-ins';
import { LivePublisher } from './live/publish';
import { SilenceWatch } from './live/silence-watch';
import { Ingest } from './sync/ingest';
import { syncNonces } from './sync/nonces';
import type { Quotas } from './sync/quotas';

/**
 * The server's composition root: every service is built here, once, in order, from the
 * configuration and connections (server.ts in production; tests build theirs the same way).
 */
export function composeServer(parts: ServerParts, tuning: { quotas?: Quotas } = {}): ServerContext {
  const { storage, keys, now, feed } = parts;
  const ingest = new Ingest({
    db: storage.db,
    dialect: storage.dialect,
    nonces: syncNonces(keys.signing.secretKey),
    ...(tuning.quotas ? { quotas: tuning.quotas } : {}),
    handover: parts.handover !== undefined,
  });
  const live = new LivePublisher(feed);
  const handIns = new HandIns({
    db: storage.db,
    ingest,
    live,
    secretKey: keys.handIn.secretKey,
    now,
  });
  return {
    ...parts,
    ingest,
    live,
    handIns,
    silence: new SilenceWatch(storage.db, live, now),
    verifiedTokens: new VerifiedTokens(),
  };
}
