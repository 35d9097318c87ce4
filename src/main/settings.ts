import { join } from 'node:path';

import { z } from 'zod';

import type { FsPort } from './fs-port';

/**
 * Small client settings — never answers (those live in the journal). electron-store keeps them
 * in production (src/main/electron adapts it to this interface); tests use the file store.
 */
export const settingsSchema = z.strictObject({
  serverUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
  /** The exam server's Ed25519 public key (hex), pinned: packages signed otherwise are refused. */
  serverPublicKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters')
    .nullable()
    .default(null),
  language: z.enum(['nb', 'nn', 'en']).default('nb'),
});
export type ClientSettings = z.infer<typeof settingsSchema>;

export interface SettingsStore {
  read(): Promise<ClientSettings>;
  update(changes: Partial<ClientSettings>): Promise<ClientSettings>;
}

/** Settings as one JSON file, replaced atomically; a damaged file falls back to defaults. */
export class FileSettings implements SettingsStore {
  private readonly path: string;

  constructor(
    private readonly fs: FsPort,
    dir: string,
  ) {
    this.path = join(dir, 'settings.json');
  }

  async read(): Promise<ClientSettings> {
    const bytes = await this.fs.readFile(this.path);
    if (!bytes) return settingsSchema.parse({});
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
      return parsed.success ? parsed.data : settingsSchema.parse({});
    } catch {
      return settingsSchema.parse({});
    }
  }

  async update(changes: Partial<ClientSettings>): Promise<ClientSettings> {
    const next = settingsSchema.parse({ ...(await this.read()), ...changes });
    await this.fs.writeFileAtomic(this.path, Buffer.from(JSON.stringify(next)));
    return next;
  }
}
