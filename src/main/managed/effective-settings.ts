import {
  managedSettingsSchema,
  type ManagedSettings,
  type UpdateMode,
} from '../../common/managed-settings';
import type { ClientSettings } from '../settings';

import { ManagedSettingsError, normalise, type ManagedSource } from './managed-source';

/** The settings Vakt runs with: managed where IT set them, the user's profile otherwise. */
export interface EffectiveSettings {
  serverUrl: string | null;
  serverPublicKeys: string[];
  language: ClientSettings['language'];
  update: {
    mode: UpdateMode;
    channel: string;
    feedUrl: string | null;
    /** Release keys every update must be signed by (update-signature.ts); none: unchecked. */
    publicKeys: string[];
  };
  proxyServer: string | null;
  /** Where the managed settings came from, when any were found. */
  managedFrom: string | null;
}

/** What IT must fix: where, which key (null: the whole source), and what is wrong. */
export interface SettingsProblem {
  source: string;
  key: string | null;
  detail: string;
}

export type SettingsVerdict =
  { ok: true; settings: EffectiveSettings } | { ok: false; problem: SettingsProblem };

export interface SettingsContext {
  /** A packaged build takes the server only from managed settings, and only over https. */
  packaged: boolean;
  /** Installed for all users (by IT): updates are MDM's unless the settings say otherwise. */
  perMachine: boolean;
  /**
   * Linux: electron-updater checks no signature there (an AppImage update is trusted by the
   * sha512 in latest-linux.yml, from the same feed), so updates are only offered unless IT
   * pins an update key (then Vakt checks its own signature) or turns them on.
   */
  platform?: NodeJS.Platform;
}

/** The update mode when the managed settings name none. */
export function defaultUpdateMode(context: SettingsContext, updateKeys = false): UpdateMode {
  if (context.perMachine) return 'none';
  return context.platform === 'linux' && !updateKeys ? 'manual' : 'auto';
}

/**
 * Managed settings win over anything in the user's profile. In a packaged build the server and
 * its pinned keys come only from them (the profile is the candidate's to edit); an invalid
 * value fails closed: Vakt says which key is wrong and runs no exam.
 */
export async function effectiveSettings(
  source: ManagedSource,
  user: ClientSettings,
  context: SettingsContext,
): Promise<SettingsVerdict> {
  let managed: ManagedSettings = {};
  let managedFrom: string | null = null;
  try {
    const read = await source.read();
    if (read.values) {
      const parsed = managedSettingsSchema(context).safeParse(normalise(read.values));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = issue.path.length > 0 ? String(issue.path[0]) : null;
        const detail =
          issue.code === 'unrecognized_keys'
            ? `unknown setting ${issue.keys.join(', ')}`
            : issue.message;
        return {
          ok: false,
          problem: {
            source: read.source,
            key: issue.code === 'unrecognized_keys' ? (issue.keys[0] ?? null) : key,
            detail,
          },
        };
      }
      managed = parsed.data;
      managedFrom = read.source;
    }
  } catch (error) {
    if (error instanceof ManagedSettingsError) {
      return { ok: false, problem: { source: error.source, key: error.key, detail: error.detail } };
    }
    throw error;
  }
  const fromProfile = !context.packaged;
  const serverUrl = managed.ServerUrl ?? (fromProfile ? user.serverUrl : null);
  const keys =
    managed.ServerPublicKeys ?? (fromProfile && user.serverPublicKey ? [user.serverPublicKey] : []);
  return {
    ok: true,
    settings: {
      serverUrl,
      serverPublicKeys: keys.map((key) => key.toLowerCase()),
      language: managed.Language ?? user.language,
      update: {
        mode:
          managed.UpdateMode ?? defaultUpdateMode(context, managed.UpdatePublicKeys !== undefined),
        channel: managed.UpdateChannel ?? 'latest',
        feedUrl:
          managed.UpdateFeedUrl ?? (serverUrl ? new URL('/updates/', serverUrl).toString() : null),
        publicKeys: managed.UpdatePublicKeys ?? [],
      },
      proxyServer: managed.ProxyServer ?? null,
      managedFrom,
    },
  };
}
