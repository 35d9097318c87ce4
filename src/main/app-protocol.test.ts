import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { resolveAppUrl } from './app-protocol';

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
