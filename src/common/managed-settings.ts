import { z } from 'zod';

/**
 * The managed settings IT sets for every copy of Vakt on a school's laptops, read from where
 * only an administrator can write (docs/it.md): the registry on Windows, a configuration
 * profile on macOS, /etc/vakt/policy.json on Linux. One schema for all three, and the ADMX,
 * .mobileconfig and JSON sample are generated from `MANAGED_SETTINGS` below.
 */

const publicKeySchema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
  .transform((key) => key.toLowerCase());

/** How Vakt updates itself: by itself, when the candidate asks, or never (MDM updates it). */
export const updateModeSchema = z.enum(['auto', 'manual', 'none']);
export type UpdateMode = z.infer<typeof updateModeSchema>;

/** Every key, what it means, and an example: the templates and docs/it.md come from this. */
export const MANAGED_SETTINGS = {
  ServerUrl: {
    kind: 'text',
    description: 'The exam server, https://… (plain http only in development builds).',
    example: 'https://exam.school.no',
  },
  ServerPublicKeys: {
    kind: 'list',
    description:
      "The exam server's signing keys (vakt-server show-keys), 64 hex characters each. List the new key beside the old one while rotating.",
    example: ['a'.repeat(64)],
  },
  Language: {
    kind: 'choice',
    choices: ['nb', 'nn', 'en'],
    description: 'The language Vakt starts in; candidates can change it.',
    example: 'nb',
  },
  UpdateMode: {
    kind: 'choice',
    choices: ['auto', 'manual', 'none'],
    description:
      'auto: download and install between exams; manual: offer updates, never download alone; none: MDM updates Vakt (the default for per-machine installs).',
    example: 'none',
  },
  UpdateChannel: {
    kind: 'text',
    description: 'The update channel: latest, or beta for a pilot group.',
    example: 'latest',
  },
  UpdateFeedUrl: {
    kind: 'text',
    description: 'Where updates come from, https://…; the exam server serves /updates/ by default.',
    example: 'https://exam.school.no/updates/',
  },
  UpdatePublicKeys: {
    kind: 'list',
    description:
      'Release keys an update must be signed by (npm run sign-update prints one), 64 hex characters each. With one listed, no update is installed without a valid signature, and Linux installs update by themselves.',
    example: ['b'.repeat(64)],
  },
  ProxyServer: {
    kind: 'text',
    description:
      'A proxy for the exam server, as Chromium writes one (http://proxy.school.no:3128).',
    example: 'http://proxy.school.no:3128',
  },
} as const;

export type ManagedKey = keyof typeof MANAGED_SETTINGS;

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// address' });
const anyHttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s):// address' });

/** The schema, strict about https in a packaged build. */
export function managedSettingsSchema(options: { packaged: boolean }) {
  const url = options.packaged ? httpsUrl : anyHttpUrl;
  return z.strictObject({
    ServerUrl: url.optional(),
    ServerPublicKeys: z.array(publicKeySchema).min(1).max(4).optional(),
    Language: z.enum(['nb', 'nn', 'en']).optional(),
    UpdateMode: updateModeSchema.optional(),
    UpdateChannel: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a channel name such as latest or beta')
      .optional(),
    UpdateFeedUrl: url.optional(),
    UpdatePublicKeys: z.array(publicKeySchema).min(1).max(4).optional(),
    ProxyServer: z
      .string()
      .regex(/^(https?|socks5?):\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/, 'must be scheme://host:port')
      .optional(),
  } satisfies Record<ManagedKey, z.ZodType>);
}
export type ManagedSettings = z.infer<ReturnType<typeof managedSettingsSchema>>;
