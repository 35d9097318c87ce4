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

/**
 * The renderer's Content Security Policy, sent as a response header: a `<meta>` CSP cannot
 * say `frame-ancestors`, and a header holds even if the page's markup is changed.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

/** The app:// handler's answer: the file with its type and the CSP, or 404. */
export async function appResponse(
  root: string,
  requestUrl: string,
  read: (path: string) => Promise<Uint8Array>,
): Promise<Response> {
  const file = resolveAppUrl(root, requestUrl);
  const headers = { 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' };
  if (file) {
    try {
      const body = await read(file.path);
      return new Response(body, { headers: { ...headers, 'content-type': file.type } });
    } catch {
      // Missing or unreadable: the same 404 as a path outside the renderer.
    }
  }
  return new Response('Not found', { status: 404, headers });
}
