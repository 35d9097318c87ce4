import type { HeartbeatRequest, HeartbeatResponse } from '../../common/api';
import { OFFLINE_AFTER_BEATS } from '../../common/liveness';
import type { Logger } from '../logger';
import { Heartbeat } from '../sync/heartbeat';
import { Link, type LinkTransition } from '../sync/link';
import { Outbox, type OutboxJournal, type OutboxOptions } from '../sync/outbox';
import type { ServerApi } from '../sync/server-api';
import type { Timers } from '../timers';

/** What the session tells the factory about the journal it syncs, and where events go. */
export interface SyncContext {
  journalId: string;
  journal: OutboxJournal;
  /** The server's watermark as last known (the anchor). */
  watermark: number;
  /** A second device the server holds until an invigilator approves it. */
  held: boolean;
  /** The offset from the sign-in reply, until a reply brings a newer one. */
  clockOffsetMs: number;
  /** The exam policy's heartbeat interval. */
  heartbeatIntervalMs: number;
  heartbeatRequest: () => HeartbeatRequest;
  renewToken: () => Promise<boolean>;
  onLink: (transition: LinkTransition) => void;
  onOutbox: OutboxOptions['onEvent'];
  onReply: (reply: HeartbeatResponse) => Promise<void>;
  /** After every beat, answered or not. */
  onBeat: () => void;
}

/** The parts that keep a session in touch with the server. */
export interface SyncParts {
  link: Link;
  outbox: Outbox;
  heartbeat: Heartbeat;
}

export type SyncFactory = (context: SyncContext) => SyncParts;

/** Batch bounds, backoff and heartbeat interval: tests make them small. */
export type SyncTuning = Pick<
  OutboxOptions,
  'maxRecords' | 'maxBytes' | 'baseDelayMs' | 'maxDelayMs' | 'random'
> & { heartbeatIntervalMs?: number };

/**
 * The sync parts over the exam server's API: the composition root builds this factory, and the
 * session calls it for each journal it opens.
 */
export function syncOver(
  api: Pick<ServerApi, 'upload' | 'heartbeat' | 'abortSentBefore'>,
  timers: Timers,
  tuning: SyncTuning = {},
  logger?: Logger,
): SyncFactory {
  const { heartbeatIntervalMs, ...outboxTuning } = tuning;
  return (context) => {
    const link = new Link(context.onLink, OFFLINE_AFTER_BEATS, context.clockOffsetMs);
    // An upload slow to be answered makes the heartbeat probe (it is built just below).
    let heartbeat: Heartbeat | null = null;
    const outbox = new Outbox({
      ...outboxTuning,
      journal: context.journal,
      upload: (request, options) => api.upload(request, options),
      link,
      journalId: context.journalId,
      timers,
      watermark: context.watermark,
      held: context.held,
      renewToken: context.renewToken,
      onEvent: context.onOutbox,
      onSlow: () => heartbeat?.suspect(),
      ...(logger ? { logger } : {}),
    });
    heartbeat = new Heartbeat({
      send: (request, options) => api.heartbeat(request, options),
      // Back: what was sent into the dead network is given up and sent again at once.
      onBack: (order) => api.abortSentBefore(order),
      link,
      timers,
      intervalMs: heartbeatIntervalMs ?? context.heartbeatIntervalMs,
      request: context.heartbeatRequest,
      onReply: context.onReply,
      onChange: context.onBeat,
      ...(logger ? { logger } : {}),
    });
    return { link, outbox, heartbeat };
  };
}
