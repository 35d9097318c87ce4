import { z } from 'zod';

import { answerValueSchema } from './answers';
import { contentIdSchema, nonceSchema, sha256HexSchema } from './ids';

/**
 * The event catalogue: every kind of journal record and its payload. Severity is not here:
 * the server assigns it from the kind and the exam policy, never the client.
 *
 * Privacy: payloads carry program names and categories, never paths or command lines; a window
 * title appears only when the exam policy turns `privacy.recordWindowTitles` on.
 */

export const PROCESS_CATEGORIES = [
  'remote-access',
  'screen-capture',
  'communication',
  'ai-assistant',
  'virtualization',
  'automation',
  'browser',
  'assistive-technology',
] as const;
export const processCategorySchema = z.enum(PROCESS_CATEGORIES);
export type ProcessCategory = z.infer<typeof processCategorySchema>;

export const PROCESS_ACTIONS = ['allow', 'flag', 'terminate'] as const;
export const processActionSchema = z.enum(PROCESS_ACTIONS);
export type ProcessAction = z.infer<typeof processActionSchema>;

/** A friendly program name, as shown to candidates and invigilators. */
export const programNameSchema = z.string().min(1).max(100);

export const displaySchema = z.strictObject({
  internal: z.boolean(),
  width: z.int().positive(),
  height: z.int().positive(),
  mirrored: z.boolean(),
});

export const vmFindingSchema = z.strictObject({
  source: z.string().min(1).max(100),
  evidence: z.string().max(500),
  confidence: z.enum(['low', 'medium', 'high']),
});

export const instructionKindSchema = z.enum([
  'lock',
  'unlock',
  'add-time',
  'allow-quit',
  'approve-preflight',
  'pause',
  'resume',
  'message',
  'hand-answered',
]);

/** What an invigilator writes to candidates: plain text, shown as text, never as markup. */
export const messageTextSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((text) => !text.includes('\u0000'), 'must not contain NUL');

/** What a candidate may add when raising a hand. */
export const handTextSchema = z
  .string()
  .trim()
  .max(200)
  .refine((text) => !text.includes('\u0000'), 'must not contain NUL');

/** Time a pause took on the server's clock, given back to the candidate when it ends. */
export const pausedMsSchema = z.int().nonnegative();

/** What an invigilator tells a candidate they lock: shown on the lock screen. */
export const lockReasonSchema = z.string().trim().min(1).max(200);

/** Minutes an invigilator adds to a candidate's time (`add-time`). */
export const addedMinutesSchema = z
  .int()
  .min(1)
  .max(24 * 60);

/** One thing that keeps the exam from starting, as the laptop's checks found it. */
export const preflightBlockerSchema = z.discriminatedUnion('code', [
  z.strictObject({ code: z.literal('program'), name: programNameSchema }),
  z.strictObject({
    code: z.literal('too-many-displays'),
    connected: z.int().positive(),
    allowed: z.int().nonnegative(),
  }),
  z.strictObject({ code: z.literal('mirrored') }),
  z.strictObject({ code: z.literal('virtual-machine') }),
  z.strictObject({
    code: z.literal('remote-session'),
    via: z.enum(['rdp', 'ssh', 'remote-access-program']),
  }),
]);
export type PreflightBlocker = z.infer<typeof preflightBlockerSchema>;

/** The question a candidate is at, and the questions they marked for review. */
export const placeSchema = z.strictObject({
  at: contentIdSchema,
  marked: z.array(contentIdSchema).max(500),
});
export type Place = z.infer<typeof placeSchema>;

export const EVENT_PAYLOADS = {
  // Exam session and answers
  'session.started': z.strictObject({
    examId: z.string().min(1).max(100),
    clientVersion: z.string().max(50),
  }),
  /**
   * What keeps the exam from starting changed (empty: nothing does), journaled while the
   * candidate is in the checks, so the invigilator's dashboard can say it in words.
   */
  'preflight.blocked': z.strictObject({ blockers: z.array(preflightBlockerSchema).max(20) }),
  'preflight.passed': z.strictObject({ overridden: z.boolean() }),
  'exam.started': z.strictObject({ deadline: z.int().nonnegative() }),
  'answer.saved': z.strictObject({ questionId: contentIdSchema, value: answerValueSchema }),
  /**
   * Where the candidate is: the question shown and those marked for review. Journaled when it
   * changes (a question change, a mark), so a reload and a second laptop come back to it.
   */
  'place.kept': placeSchema,
  /**
   * An approved second device wrote the candidate's answers from the server into its journal
   * (`count` of them, as answer.saved records before this one): it starts where they were.
   */
  'answers.seeded': z.strictObject({ count: z.int().nonnegative() }),
  'submission.sealed': z.strictObject({
    answersHash: sha256HexSchema,
    headSeq: z.int().positive(),
    /** Handed in by the policy when time ran out (absent: the candidate submitted). */
    by: z.literal('time-up').optional(),
  }),
  // Monitoring
  'process.started': z.strictObject({
    name: programNameSchema,
    category: processCategorySchema,
    action: processActionSchema.exclude(['allow']),
  }),
  'process.stopped': z.strictObject({ name: programNameSchema, category: processCategorySchema }),
  'process.terminated': z.strictObject({
    name: programNameSchema,
    category: processCategorySchema,
    outcome: z.enum(['ended', 'not-permitted', 'still-running']),
    /** How many times the program came back after Vakt had ended it (absent the first time). */
    returns: z.int().positive().optional(),
  }),
  'focus.lost': z.strictObject({
    app: programNameSchema.nullable(),
    title: z.string().max(500).optional(),
  }),
  'focus.regained': z.strictObject({ durationMs: z.int().nonnegative() }),
  'display.changed': z.strictObject({ displays: z.array(displaySchema).max(16) }),
  'vm.evidence': z.strictObject({ findings: z.array(vmFindingSchema).max(50) }),
  'remote-session.detected': z.strictObject({
    via: z.enum(['rdp', 'ssh', 'remote-access-program']),
    detail: z.string().max(200),
  }),
  /** The monitors could not start: the exam cannot start without an invigilator's override. */
  'monitoring.failed': z.strictObject({ reason: z.string().max(200) }),
  /** The laptop slept or woke, or its screen was locked or unlocked, during the exam. */
  'power.changed': z.strictObject({
    state: z.enum(['suspended', 'resumed', 'screen-locked', 'screen-unlocked']),
  }),
  'network.offline': z.strictObject({}),
  'network.online': z.strictObject({ offlineMs: z.int().nonnegative() }),
  'storage.failed': z.strictObject({ code: z.string().max(50), unsavedMs: z.int().nonnegative() }),
  // Integrity of the client and its journal
  'integrity.torn': z.strictObject({ droppedBytes: z.int().nonnegative() }),
  /**
   * The OS keeps the journal key without protection (Linux without a keyring: safeStorage's
   * `basic_text`): anyone who can read the candidate's files can read the journal.
   */
  'integrity.key-unprotected': z.strictObject({ backend: z.string().max(50) }),
  'integrity.altered': z.strictObject({
    line: z.int().positive(),
    reason: z.enum(['decrypt', 'chain', 'truncated']),
  }),
  // Control
  'lock.engaged': z.strictObject({
    by: z.enum(['invigilator', 'policy']),
    /** What the invigilator told the candidate, shown on the lock screen. */
    reason: lockReasonSchema.optional(),
  }),
  'lock.released': z.strictObject({ by: z.enum(['invigilator', 'policy']) }),
  /** An invigilator paused the exam: the clock stands still from `at` (the server's clock). */
  'exam.paused': z.strictObject({ at: z.int().nonnegative() }),
  /**
   * The pause ended: the deadline moves by `pausedMs`, the pause's length on the server's
   * clock, whatever the phase (a candidate locked meanwhile gets the time back too).
   */
  'exam.resumed': z.strictObject({
    pausedMs: pausedMsSchema,
    /** The resume instruction: its time is given back once, however often it is journaled. */
    instruction: z.string().min(1).max(100).optional(),
  }),
  /** A message from the invigilator reached the laptop and is shown over the exam. */
  'message.received': z.strictObject({ id: z.uuid(), text: messageTextSchema }),
  /** The candidate said they read it. */
  'message.read': z.strictObject({ id: z.uuid() }),
  /** The candidate asks an invigilator to come, with a few words if they like. */
  'hand.raised': z.strictObject({ text: handTextSchema.optional() }),
  'hand.lowered': z.strictObject({ by: z.enum(['candidate', 'invigilator']) }),
  'exit.attempted': z.strictObject({
    via: z.enum(['shortcut', 'window-close', 'quit', 'exit-code-wrong']),
  }),
  /**
   * Text from outside the exam was kept out of it: pasted (keys, menu or middle click, which
   * pastes Linux's selection) or dropped. Only its length: what another program held is none of
   * the exam's business.
   */
  'clipboard.refused': z.strictObject({
    via: z.enum(['paste', 'middle-click', 'drop']),
    chars: z.int().nonnegative(),
  }),
  'exit.allowed': z.strictObject({
    /** `replaced`: the exam goes on on another computer; nothing here counts any more. */
    via: z.enum(['exit-code', 'invigilator', 'submitted', 'replaced']),
  }),
  'instruction.applied': z.strictObject({
    id: z.string().min(1).max(100),
    kind: instructionKindSchema,
    /** For `add-time`, so the deadline can be rebuilt from the journal alone. */
    minutes: addedMinutesSchema.optional(),
  }),
  // Sync
  'sync.nonce': z.strictObject({ nonce: nonceSchema }),
} as const;

export type EventKind = keyof typeof EVENT_PAYLOADS;
export type EventPayload<K extends EventKind> = z.infer<(typeof EVENT_PAYLOADS)[K]>;

export const EVENT_KINDS = Object.keys(EVENT_PAYLOADS) as EventKind[];
export const eventKindSchema = z.enum(EVENT_KINDS as [EventKind, ...EventKind[]]);

export function isEventKind(kind: string): kind is EventKind {
  return Object.hasOwn(EVENT_PAYLOADS, kind);
}
