import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { APP_CSP, appResponse, resolveAppUrl } from './app-protocol';

const root = '/opt/vakt/out/renderer';

describe('app:// protocol', () => {
  it('serves index.html for the root and files below the renderer folder', () => {
    expect(resolveAppUrl(root, 'app://vakt/')).toEqual({
      path: join(root, 'index.html'),
      type: 'text/html; charset=utf-8',
    });
    expect(resolveAppUrl(root, 'app://vakt/assets/index-1.js')?.path).toBe(
      join(root, 'assets/index-1.js'),
    );
  });

  it.each(['app://vakt/../main/index.js', 'app://vakt/%2e%2e/%2e%2e/etc/passwd'])(
    'keeps %s inside the renderer folder',
    (url) => {
      const resolved = resolveAppUrl(root, url);
      expect(resolved === null || resolved.path.startsWith(`${root}/`)).toBe(true);
    },
  );

  it.each([
    'app://vakt/assets/..%2f..%2fpreload/index.cjs',
    'app://vakt/a%5c..%5c..%5csecret',
    'app://vakt/%00',
    'app://vakt/%E0%A4%A',
    'app://other/index.html',
    'https://vakt/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppUrl(root, url)).toBeNull();
  });
});

describe('app:// responses', () => {
  const files: Record<string, string> = { [join(root, 'index.html')]: '<!doctype html>' };
  const read = (path: string) =>
    path in files
      ? Promise.resolve(new TextEncoder().encode(files[path]))
      : Promise.reject(new Error('ENOENT'));

  it('sends the page with its type and a CSP header that forbids framing', async () => {
    const response = await appResponse(root, 'app://vakt/', read);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'none'");
  });

  it('answers 404 for a missing file and a path outside the renderer, with the CSP too', async () => {
    for (const url of ['app://vakt/missing.js', 'app://vakt/%2e%2e/main/index.js']) {
      const response = await appResponse(root, url, read);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
    }
  });
});

describe('the renderer page', () => {
  it('declares the same CSP in its markup as the header sends', async () => {
    const page = await readFile(new URL('../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(page);
    expect(meta?.[1]).toBe(APP_CSP);
  });
});
