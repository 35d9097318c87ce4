import { z } from 'zod';

import { answerValueSchema } from './answers';
import { examContentSchema } from './content';
import { displaySchema, processCategorySchema, programNameSchema, vmFindingSchema } from './events';
import { contentIdSchema, sha256HexSchema } from './ids';
import { IPC_CHANNEL_NAMES as N } from './ipc-channels';
import { phaseSchema } from './session-phase';

export { APP_ORIGIN, EVENT_CHANNEL } from './ipc-channels';

/**
 * The IPC contract between the renderer and main: one table, read by main (handlers check
 * every payload against it), by the preload (which exposes one function per entry) and by the
 * renderer (whose `window.vakt` type is mapped from it). Every channel starts with `vakt:`.
 */

export const connectivitySchema = z.enum(['online', 'degraded', 'offline']);
export type Connectivity = z.infer<typeof connectivitySchema>;

/** What the candidate UI shows; pushed on `vakt:event` whenever it changes. */
export const clientStateSchema = z.strictObject({
  phase: phaseSchema,
  connectivity: connectivitySchema,
  unsyncedRecords: z.int().nonnegative(),
  lastAckAt: z.int().nonnegative().nullable(),
  /** Epoch ms on the server's clock when time runs out, once the exam has started. */
  deadline: z.int().nonnegative().nullable(),
  content: examContentSchema.nullable(),
  answers: z.record(z.string(), answerValueSchema),
  /** A problem the candidate must see, e.g. the disk is full; null when all is well. */
  problem: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  receiptHash: sha256HexSchema.nullable(),
});
export type ClientState = z.infer<typeof clientStateSchema>;

const none = z.strictObject({});

/** The preflight checklist: what stands between the candidate and the exam. */
export const preflightReportSchema = z.strictObject({
  /** Programs to close, by friendly name; `closable` where the policy offers a close button. */
  programs: z.array(
    z.strictObject({
      friendlyName: programNameSchema,
      category: processCategorySchema,
      action: z.enum(['flag', 'terminate']),
      closable: z.boolean(),
    }),
  ),
  displays: z.array(displaySchema),
  displayProblems: z.array(z.string()),
  vmFindings: z.array(vmFindingSchema),
  /** The policy blocks the exam on strong virtual machine evidence. */
  vmBlocks: z.boolean(),
  remoteSessions: z.array(
    z.strictObject({
      via: z.enum(['rdp', 'ssh', 'remote-access-program']),
      detail: z.string(),
    }),
  ),
  /** Why the focus monitor cannot name the application that takes focus, if it cannot. */
  focusWarning: z.string().nullable(),
  /** Nothing blocks the start (an invigilator can still override). */
  clear: z.boolean(),
});
export type PreflightReport = z.infer<typeof preflightReportSchema>;

export const IPC_CHANNELS = {
  getState: { channel: N.getState, request: none, result: clientStateSchema },
  signIn: {
    channel: N.signIn,
    request: z.strictObject({
      examCode: z.string().trim().min(1).max(32),
      candidateNumber: z.string().trim().min(1).max(32),
      personalCode: z.string().min(1).max(64),
    }),
    result: clientStateSchema,
  },
  /** Preflight is clear: the exam starts and the timer runs. */
  startExam: { channel: N.startExam, request: none, result: clientStateSchema },
  getPreflight: { channel: N.getPreflight, request: none, result: preflightReportSchema },
  saveAnswer: {
    channel: N.saveAnswer,
    request: z.strictObject({
      questionId: contentIdSchema,
      value: answerValueSchema,
      /** True when the candidate leaves the question: journal at once, not coalesced. */
      leaving: z.boolean().default(false),
    }),
    result: z.strictObject({ saved: z.boolean() }),
  },
  submit: { channel: N.submit, request: none, result: clientStateSchema },
  closeProgram: {
    channel: N.closeProgram,
    request: z.strictObject({ name: z.string().min(1).max(100) }),
    result: z.strictObject({ outcome: z.enum(['ended', 'not-permitted', 'still-running']) }),
  },
  exportHandIn: {
    channel: N.exportHandIn,
    request: none,
    result: z.strictObject({ fileName: z.string() }),
  },
  requestExit: {
    channel: N.requestExit,
    request: z.strictObject({ exitCode: z.string().max(64).optional() }),
    result: z.strictObject({ allowed: z.boolean() }),
  },
} as const;

export const pushEventSchema = z.strictObject({
  type: z.literal('state'),
  state: clientStateSchema,
});
export type PushEvent = z.infer<typeof pushEventSchema>;

export type IpcMethod = keyof typeof IPC_CHANNELS;
export type IpcRequest<M extends IpcMethod> = z.input<(typeof IPC_CHANNELS)[M]['request']>;
export type IpcValue<M extends IpcMethod> = z.output<(typeof IPC_CHANNELS)[M]['result']>;

/** Electron drops the fields of thrown errors, so results carry their error as data. */
export type IpcError = { code: string; message: string };
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The renderer's `window.vakt`: one function per channel, plus a subscription to pushes. */
export type VaktApi = {
  [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResult<IpcValue<M>>>;
} & {
  onEvent(listener: (event: PushEvent) => void): () => void;
};
