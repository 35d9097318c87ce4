import { z } from 'zod';

import { examCodeSchema } from '../common/exam-file';

/** What a `vakt://` link may fill in on the sign-in screen. */
export interface LaunchLink {
  examCode: string;
}

export type LinkVerdict =
  | { ok: true; link: LaunchLink }
  | { ok: false; reason: 'not-a-link' | 'malformed' | 'other-server' };

/** A link may write the code in any case; it must then be one an exam file could have. */
const linkedCodeSchema = z
  .string()
  .transform((code) => code.toUpperCase())
  .pipe(examCodeSchema);

/** The first `vakt://` argument Vakt was started with (Windows and Linux pass links in argv). */
export function linkInArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => /^vakt:\/\//i.test(arg)) ?? null;
}

/**
 * Reads `vakt://<server host>[:port]/<EXAM-CODE>`, as the installer registers it. The link
 * names its server only so that it can be checked: a link for any server other than the one
 * the managed configuration sets is refused, so a link cannot point Vakt somewhere else. Only
 * the exam code is taken from it.
 */
export function readLaunchLink(text: string, configuredServer: string | null): LinkVerdict {
  if (!/^vakt:\/\//i.test(text)) return { ok: false, reason: 'not-a-link' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const code = linkedCodeSchema.safeParse(path);
  if (!code.success || url.username || url.password || url.search || url.hash) {
    return { ok: false, reason: 'malformed' };
  }
  if (!configuredServer || !sameHost(url, configuredServer)) {
    return { ok: false, reason: 'other-server' };
  }
  return { ok: true, link: { examCode: code.data } };
}

/** Host and port as the configured server URL has them (its scheme's default port if none). */
function sameHost(link: URL, configured: string): boolean {
  let server: URL;
  try {
    server = new URL(configured);
  } catch {
    return false;
  }
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  return (
    link.hostname.toLowerCase() === server.hostname.toLowerCase() && (link.port || '443') === port
  );
}
