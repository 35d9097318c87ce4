import { z } from 'zod';

import { answerValueSchema, MAX_LONG_TEXT } from './answers';
import { examContentSchema } from './content';
import { batterySchema } from './device';
import {
  displaySchema,
  handTextSchema,
  placeSchema,
  processCategorySchema,
  programNameSchema,
  vmFindingSchema,
} from './events';
import { contentIdSchema, sha256HexSchema } from './ids';
import { IPC_CHANNEL_NAMES as N } from './ipc-channels';
import { problemParamsSchema, problemSchema } from './problems';
import { phaseSchema } from './session-phase';

export { APP_ORIGIN, EVENT_CHANNEL } from './ipc-channels';

/**
 * The IPC contract between the renderer and main: one table, read by main (handlers check
 * every payload against it), by the preload (which exposes one function per entry) and by the
 * renderer (whose `window.vakt` type is mapped from it). Every channel starts with `vakt:`.
 */

export const connectivitySchema = z.enum(['online', 'degraded', 'offline']);
export type Connectivity = z.infer<typeof connectivitySchema>;

/**
 * Where one answer is: still only in memory (being typed, or storage is failing), durable in
 * this computer's journal, or acknowledged by the server.
 */
export const saveStatusSchema = z.enum(['unsaved', 'saved-locally', 'received-by-server']);
export type SaveStatus = z.infer<typeof saveStatusSchema>;

/**
 * What the candidate UI shows; pushed on `vakt:event` whenever it changes, so it stays small:
 * the exam itself and the answers come once, from `getExam`.
 */
export const clientStateSchema = z.strictObject({
  phase: phaseSchema,
  connectivity: connectivitySchema,
  unsyncedRecords: z.int().nonnegative(),
  lastAckAt: z.int().nonnegative().nullable(),
  /** Epoch ms on the server's clock when time runs out, once the exam has started. */
  deadline: z.int().nonnegative().nullable(),
  /** Server time − this computer's time: a countdown shows `deadline − (Date.now() + offset)`. */
  clockOffsetMs: z.int(),
  /** Per answered question; a question without an answer is absent. */
  saves: z.record(contentIdSchema, saveStatusSchema),
  /** The most urgent problem the candidate must see (the disk is full…); null when all is well. */
  problem: problemSchema.nullable(),
  receiptHash: sha256HexSchema.nullable(),
  /** The server's signature on the receipt, verified against the pinned key (null: none). */
  receiptSignature: z
    .string()
    .regex(/^[0-9a-f]{128}$/)
    .nullable(),
  /** When the server received the submission (the server's clock). */
  receiptAt: z.int().nonnegative().nullable(),
  /** While locked: by the invigilator, or by the policy when time ran out. */
  lockedBy: z.enum(['invigilator', 'policy']).nullable(),
  /** What the invigilator told the candidate when locking, if anything. */
  lockReason: z.string().max(200).nullable(),
  /** While paused: when the clock stopped (the server's clock); the time left stands still. */
  pausedAt: z.int().nonnegative().nullable(),
  /** Messages from the invigilator the candidate has not said they read, oldest first. */
  messages: z.array(z.strictObject({ id: z.string(), text: z.string() })),
  /** The candidate's hand is raised and no invigilator has answered yet. */
  handRaised: z.boolean(),
  /**
   * When an invigilator answered the last raised hand (this computer's clock): they saw it and
   * are on their way. The candidate is told for a while; null when nothing was answered.
   */
  handAnsweredAt: z.int().nonnegative().nullable(),
  /** Minutes invigilators added in all: a rise is announced to the candidate. */
  addedMinutes: z.int().nonnegative(),
  /** The answers were handed in because time ran out (not by the candidate). */
  timeUp: z.boolean(),
  /**
   * The exam is not going on on this computer: it waits for an invigilator's approval, fetches
   * the candidate's answers, or another computer replaced it. Whatever problem is shown.
   */
  elsewhere: z.enum(['awaiting-approval', 'fetching-answers', 'replaced']).nullable(),
  /** In the checks: an invigilator lets the candidate start despite them. */
  startApproved: z.boolean(),
  /** The laptop's battery, where it can be read: low, the candidate is told. */
  battery: batterySchema.nullable(),
  /**
   * Signed in before the exam opened (the waiting room): when it opens, on the server's clock,
   * and its title. The questions come at the opening; null once they are here.
   */
  opening: z
    .strictObject({ opensAt: z.int().nonnegative(), title: z.string().max(200) })
    .nullable(),
});
export type ClientState = z.infer<typeof clientStateSchema>;

/** The signed-in exam: fetched once after sign-in (and after a restart), never pushed. */
export const examViewSchema = z.strictObject({
  examCode: z.string(),
  candidateNumber: z.string(),
  /** The candidate's name as the server had it at sign-in (null: the package did not say). */
  candidateName: z.string().nullable(),
  content: examContentSchema,
  /** The answers the journal holds: where the candidate left off. */
  answers: z.record(z.string(), answerValueSchema),
  /** The question they were at and their review marks (null: a fresh start). */
  place: placeSchema.nullable(),
});
export type ExamView = z.infer<typeof examViewSchema>;

const none = z.strictObject({});

/**
 * The exam server this copy of Vakt is configured for (its host, shown so a candidate can tell
 * it is the school's), and an exam code a `vakt://` link filled in.
 */
export const signInDefaultsSchema = z.strictObject({
  server: z.string().nullable(),
  examCode: z.string().nullable(),
  /** The language IT set for this computer: the screens start in it. */
  language: z.enum(['nb', 'nn', 'en']).nullable(),
  /** The managed settings are wrong: where, which key, what (for IT; no exam runs). */
  configProblem: z
    .strictObject({ source: z.string(), key: z.string().nullable(), detail: z.string() })
    .nullable(),
  /** In the managed "manual" update mode: a newer version the feed offers (never mid-exam). */
  updateAvailable: z.string().max(50).nullable(),
});
export type SignInDefaults = z.infer<typeof signInDefaultsSchema>;

/** A display setting preflight asks the candidate to change, as a code the screen words. */
export const displayProblemSchema = z.discriminatedUnion('code', [
  z.strictObject({
    code: z.literal('too-many-displays'),
    connected: z.int().positive(),
    allowed: z.int().nonnegative(),
  }),
  z.strictObject({ code: z.literal('mirrored') }),
]);
export type DisplayProblem = z.infer<typeof displayProblemSchema>;

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
  displayProblems: z.array(displayProblemSchema),
  vmFindings: z.array(vmFindingSchema),
  /** The policy blocks the exam on strong virtual machine evidence. */
  vmBlocks: z.boolean(),
  /** Signs of a remote session; `program` names the remote-access program where one runs. */
  remoteSessions: z.array(
    z.strictObject({
      via: z.enum(['rdp', 'ssh', 'remote-access-program']),
      program: programNameSchema.optional(),
    }),
  ),
  /** Why the focus monitor cannot name the application that takes focus, if it cannot. */
  focusWarning: z.string().nullable(),
  /** What this exam records about the candidate, from its policy: shown before the start. */
  recorded: z.strictObject({
    /** Kinds of program noted (flag) or ended (terminate) when they run. */
    programs: z.array(
      z.strictObject({
        category: processCategorySchema,
        action: z.enum(['flag', 'terminate']),
      }),
    ),
    /** Leaving the exam window, for how long, and to which application. */
    focus: z.boolean(),
    /** Also the title of the window gone to (policy.privacy.recordWindowTitles). */
    windowTitles: z.boolean(),
    /** How many displays, and mirroring. */
    displays: z.boolean(),
  }),
  /** Nothing blocks the start (an invigilator can still override). */
  clear: z.boolean(),
});
export type PreflightReport = z.infer<typeof preflightReportSchema>;

export const IPC_CHANNELS = {
  getState: { channel: N.getState, request: none, result: clientStateSchema },
  getExam: { channel: N.getExam, request: none, result: examViewSchema },
  /** What the sign-in screen shows and fills in before the candidate types. */
  getSignInDefaults: { channel: N.getSignInDefaults, request: none, result: signInDefaultsSchema },
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
  /** The candidate read the invigilator's message `id`: it goes, and the invigilator sees "read". */
  readMessage: {
    channel: N.readMessage,
    request: z.strictObject({ id: z.string().min(1).max(100) }),
    result: clientStateSchema,
  },
  /** The candidate asks for an invigilator, with a few words if they like. */
  raiseHand: {
    channel: N.raiseHand,
    request: z.strictObject({ text: handTextSchema.optional() }),
    result: clientStateSchema,
  },
  lowerHand: { channel: N.lowerHand, request: none, result: clientStateSchema },
  /** The question shown and the questions marked for review: journaled when they change. */
  keepPlace: { channel: N.keepPlace, request: placeSchema, result: clientStateSchema },
  /**
   * Every copy and every paste or drop in the exam window asks main (clipboard-rule.ts): while
   * the exam runs, only text copied inside it pastes back in, and only if the policy allows.
   */
  clipboard: {
    channel: N.clipboard,
    request: z.strictObject({
      action: z.enum(['copy', 'paste', 'middle-click', 'drop']),
      text: z.string().max(MAX_LONG_TEXT),
    }),
    result: z.strictObject({ allowed: z.boolean() }),
  },
} as const;

export const pushEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), state: clientStateSchema }),
  /** A `vakt://` link arrived while Vakt was open: the sign-in screen fills it in. */
  z.strictObject({ type: z.literal('sign-in-defaults'), defaults: signInDefaultsSchema }),
]);
export type PushEvent = z.infer<typeof pushEventSchema>;

export type IpcMethod = keyof typeof IPC_CHANNELS;
export type IpcRequest<M extends IpcMethod> = z.input<(typeof IPC_CHANNELS)[M]['request']>;
export type IpcValue<M extends IpcMethod> = z.output<(typeof IPC_CHANNELS)[M]['result']>;

/**
 * Electron drops the fields of thrown errors, so results carry their error as data: a code
 * with parameters, which the renderer puts into words.
 */
export const ipcErrorSchema = z.strictObject({
  code: z.string().max(60),
  params: problemParamsSchema,
});
export type IpcError = z.infer<typeof ipcErrorSchema>;
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The renderer's `window.vakt`: one function per channel, plus a subscription to pushes. */
export type VaktApi = {
  [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResult<IpcValue<M>>>;
} & {
  onEvent(listener: (event: PushEvent) => void): () => void;
};
