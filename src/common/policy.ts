import { z } from 'zod';

import { processActionSchema, processCategorySchema } from './events';

/**
 * The exam policy: what the client enforces and what it records. Every field has a default
 * so an exam file can name only what it changes; unknown fields are refused so a typo
 * ("recordWindowTitle") cannot silently leave a setting at its default.
 */

const osSchema = z.enum(['win32', 'darwin', 'linux']);

/** An entry the policy adds to the process catalogue, or an override of an existing one. */
const processRuleSchema = z.strictObject({
  /** Executable file names, matched case-insensitively (".exe" ignored on Windows). */
  names: z.array(z.string().min(1).max(255)).min(1).max(50),
  friendlyName: z.string().min(1).max(100),
  category: processCategorySchema,
  action: processActionSchema,
  os: z.array(osSchema).min(1).optional(),
});

const defaultCategoryActions = {
  'remote-access': 'terminate',
  'screen-capture': 'flag',
  communication: 'flag',
  'ai-assistant': 'flag',
  virtualization: 'flag',
  automation: 'flag',
  browser: 'allow',
  'assistive-technology': 'allow',
} as const;

const categoryActionsSchema = z
  .strictObject({
    'remote-access': processActionSchema.default(defaultCategoryActions['remote-access']),
    'screen-capture': processActionSchema.default(defaultCategoryActions['screen-capture']),
    communication: processActionSchema.default(defaultCategoryActions.communication),
    'ai-assistant': processActionSchema.default(defaultCategoryActions['ai-assistant']),
    virtualization: processActionSchema.default(defaultCategoryActions.virtualization),
    automation: processActionSchema.default(defaultCategoryActions.automation),
    browser: processActionSchema.default(defaultCategoryActions.browser),
    // Screen readers and magnifiers are always allowed; the literal makes that unchangeable.
    'assistive-technology': z.literal('allow').default('allow'),
  })
  .prefault({});

/**
 * The exit code, hashed so the policy (which every candidate's client can read) does not reveal
 * it: scrypt with its parameters and a random salt. The floor (N ≥ 2^17, r ≥ 8: 128 MiB and
 * about 0.6 s per guess on a laptop core) makes an offline search of a 6-character code take
 * years, not seconds; `vakt-server exit-code-hash` makes one. The invigilator's allow-quit
 * instruction is the way out while the network works; the code is for when it does not.
 */
export const EXIT_CODE_SCRYPT = { N: 131_072, r: 8, p: 1 } as const;

const exitCodeHashSchema = z.strictObject({
  algorithm: z.literal('scrypt'),
  N: z
    .int()
    .min(EXIT_CODE_SCRYPT.N, `must be at least ${EXIT_CODE_SCRYPT.N} (2^17)`)
    .max(1_048_576)
    .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
  r: z.int().min(EXIT_CODE_SCRYPT.r).max(32),
  p: z.int().min(1).max(16),
  salt: z.string().regex(/^[0-9a-f]{32,128}$/, 'must be 32–128 hex characters'),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters'),
});
export type ExitCodeHash = z.infer<typeof exitCodeHashSchema>;

export const examPolicySchema = z.strictObject({
  version: z.literal(1).default(1),
  processes: z
    .strictObject({
      pollIntervalMs: z.int().min(250).max(10_000).default(250),
      categoryActions: categoryActionsSchema,
      rules: z.array(processRuleSchema).max(500).default([]),
      /** Whether preflight shows a close button for programs whose action is terminate. */
      candidateMayClose: z.boolean().default(true),
    })
    .prefault({}),
  focus: z
    .strictObject({
      /** Focus losses shorter than this are journaled but not flagged by the server. */
      flagAfterMs: z.int().min(0).max(60_000).default(0),
    })
    .prefault({}),
  displays: z
    .strictObject({
      maxDisplays: z.int().min(1).max(8).default(1),
      allowMirroring: z.boolean().default(false),
    })
    .prefault({}),
  virtualMachine: z
    .strictObject({ action: z.enum(['allow', 'flag', 'block']).default('flag') })
    .prefault({}),
  clipboard: z
    .strictObject({
      clearOnStart: z.boolean().default(true),
      /** Copy and paste inside the exam window (never to or from other programs). */
      allowWithinExam: z.boolean().default(true),
    })
    .prefault({}),
  spellcheck: z.boolean().default(false),
  exitCode: exitCodeHashSchema.nullable().default(null),
  timing: z
    .strictObject({
      durationMinutes: z
        .int()
        .min(1)
        .max(24 * 60)
        .default(180),
      /** Submit automatically when time runs out (offline: seal locally). */
      autoSubmit: z.boolean().default(true),
    })
    .prefault({}),
  /** How long after the exam window closes an offline client may still upload. */
  offlineGraceHours: z
    .number()
    .min(0)
    .max(24 * 14)
    .default(24),
  heartbeatIntervalMs: z.int().min(2_000).max(120_000).default(10_000),
  privacy: z
    .strictObject({
      recordWindowTitles: z.boolean().default(false),
      recordCommandLines: z.boolean().default(false),
    })
    .prefault({}),
});

/** The policy as written in an exam file (defaults may be left out). */
export type ExamPolicyInput = z.input<typeof examPolicySchema>;
/** The normalised policy, every default filled in: what the config key is computed over. */
export type ExamPolicy = z.output<typeof examPolicySchema>;
