import { extname, join, normalize, sep } from 'node:path';

import { APP_ORIGIN } from '../common/ipc-channels';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Maps an app://vakt/… URL to a file inside `root`, or null when the URL is for another
 * origin or would escape `root` (`..`, encoded separators). "/" serves index.html.
 */
export function resolveAppUrl(
  root: string,
  requestUrl: string,
): { path: string; type: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const path = normalize(join(root, relative));
  if (!path.startsWith(normalize(root) + sep)) return null;
  return { path, type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' };
}
