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

/**
 * What every template value starts with: a copied template is refused, key by key, with a
 * message that names the key, instead of pointing Vakt at an example server.
 */
export const PLACEHOLDER = 'REPLACE ME';

/**
 * Every key: its name and meaning for IT in English and Norwegian (bokmål), and the hint its
 * template placeholder carries. The templates and docs/it.md come from this.
 */
export const MANAGED_SETTINGS = {
  ServerUrl: {
    kind: 'text',
    title: { en: 'Exam server address', nb: 'Adressen til eksamensserveren' },
    description: {
      en: 'The exam server, https://… (plain http only in development builds).',
      nb: 'Eksamensserveren, https://… (vanlig http bare i utviklingsbygg).',
    },
    placeholder: 'https:// address of your exam server',
  },
  ServerPublicKeys: {
    kind: 'list',
    title: { en: "Exam server's signing keys", nb: 'Signeringsnøklene til eksamensserveren' },
    description: {
      en: "The exam server's signing keys (vakt-server show-keys), 64 hex characters each. List the new key beside the old one while rotating.",
      nb: 'Signeringsnøklene til eksamensserveren (vakt-server show-keys), 64 heksadesimale tegn hver. Før opp den nye nøkkelen ved siden av den gamle mens du bytter.',
    },
    placeholder: '64 hex characters from vakt-server show-keys',
  },
  Language: {
    kind: 'choice',
    choices: ['nb', 'nn', 'en'],
    choiceTitles: {
      en: { nb: 'Norwegian Bokmål (nb)', nn: 'Norwegian Nynorsk (nn)', en: 'English (en)' },
      nb: { nb: 'Norsk bokmål (nb)', nn: 'Norsk nynorsk (nn)', en: 'Engelsk (en)' },
    },
    title: { en: 'Starting language', nb: 'Språk ved oppstart' },
    description: {
      en: 'The language Vakt starts in; candidates can change it.',
      nb: 'Språket Vakt starter på; kandidatene kan bytte.',
    },
    placeholder: 'nb, nn or en',
  },
  UpdateMode: {
    kind: 'choice',
    choices: ['auto', 'manual', 'none'],
    choiceTitles: {
      en: { auto: 'By itself (auto)', manual: 'Offer only (manual)', none: 'By your MDM (none)' },
      nb: { auto: 'Av seg selv (auto)', manual: 'Bare tilby (manual)', none: 'Via MDM (none)' },
    },
    title: { en: 'How Vakt updates', nb: 'Hvordan Vakt oppdateres' },
    description: {
      en: 'auto: download and install between exams; manual: offer updates, never download alone; none: MDM updates Vakt (the default for per-machine installs).',
      nb: 'auto: last ned og installer mellom eksamener; manual: si fra om oppdateringer, aldri last ned av seg selv; none: MDM oppdaterer Vakt (standard for installasjoner for alle brukere).',
    },
    placeholder: 'auto, manual or none',
  },
  UpdateChannel: {
    kind: 'text',
    title: { en: 'Update channel', nb: 'Oppdateringskanal' },
    description: {
      en: 'The update channel: latest, or beta for a pilot group.',
      nb: 'Oppdateringskanalen: latest, eller beta for en pilotgruppe.',
    },
    placeholder: 'latest or beta',
  },
  UpdateFeedUrl: {
    kind: 'text',
    title: { en: 'Update feed address', nb: 'Adressen oppdateringene hentes fra' },
    description: {
      en: 'Where updates come from, https://…; the exam server serves /updates/ by default.',
      nb: 'Hvor oppdateringene kommer fra, https://…; eksamensserveren gir dem på /updates/ som standard.',
    },
    placeholder: 'https:// address of your update feed, or remove this key',
  },
  UpdatePublicKeys: {
    kind: 'list',
    title: { en: 'Release keys for updates', nb: 'Utgivelsesnøkler for oppdateringer' },
    description: {
      en: 'Release keys an update must be signed by (npm run sign-update prints one), 64 hex characters each. With one listed, no update is installed without a valid signature, and Linux installs then update themselves.',
      nb: 'Utgivelsesnøkler en oppdatering må være signert med (npm run sign-update skriver ut en), 64 heksadesimale tegn hver. Med en nøkkel oppført installeres ingen oppdatering uten gyldig signatur, og Linux-installasjoner oppdaterer seg selv.',
    },
    placeholder: '64 hex characters from npm run sign-update, or remove this key',
  },
  ProxyServer: {
    kind: 'text',
    title: { en: 'Proxy for the exam server', nb: 'Mellomtjener (proxy) for eksamensserveren' },
    description: {
      en: 'A proxy for the exam server, as Chromium writes one (http://proxy.school.no:3128).',
      nb: 'En mellomtjener (proxy) for eksamensserveren, skrevet slik Chromium skriver den (http://proxy.skolen.no:3128).',
    },
    placeholder: 'scheme://host:port of your proxy, or remove this key',
  },
} as const;

/** What a template holds for `key`: a placeholder no one can mistake for a value. */
export function templateValue(key: ManagedKey): string | string[] {
  const setting = MANAGED_SETTINGS[key];
  const text = `${PLACEHOLDER}: ${setting.placeholder}`;
  return setting.kind === 'list' ? [text] : text;
}

export type ManagedKey = keyof typeof MANAGED_SETTINGS;

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// address' });
const anyHttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s):// address' });

const isPlaceholder = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.trimStart().toUpperCase().startsWith(PLACEHOLDER)
    : Array.isArray(value) && value.some(isPlaceholder);

/**
 * The schema, strict about https in a packaged build. A value still holding the template's
 * placeholder is refused by name before anything else is checked.
 */
export function managedSettingsSchema(options: { packaged: boolean }) {
  const url = options.packaged ? httpsUrl : anyHttpUrl;
  const settings = z.strictObject({
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
  return z.preprocess((input, ctx) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const copied = Object.entries(input).filter(([, value]) => isPlaceholder(value));
    for (const [key] of copied)
      ctx.issues.push({
        code: 'custom',
        path: [key],
        message: "still holds the template's placeholder: set a value or remove the key",
        input,
      });
    return copied.length === 0 ? input : {};
  }, settings);
}
export type ManagedSettings = z.infer<ReturnType<typeof managedSettingsSchema>>;
