import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listeningServer, type ListeningServer } from '../support/client-session';

describe('the client update feed at /updates/', () => {
  let server: ListeningServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vakt-updates-'));
    await mkdir(join(dir, 'feed'));
    await writeFile(
      join(dir, 'feed', 'latest-linux.yml'),
      'version: 0.2.0\nfiles:\n  - url: Vakt-0.2.0.AppImage\npath: Vakt-0.2.0.AppImage\n',
    );
    await writeFile(join(dir, 'feed', 'Vakt-0.2.0.AppImage'), Buffer.alloc(70_000, 7));
    await writeFile(join(dir, 'secret.txt'), 'not for candidates');
    // Whatever else lies in the feed folder is not served: only update file types are.
    await writeFile(join(dir, 'feed', 'signing-ed25519.json'), 'not for candidates');
    await writeFile(join(dir, 'feed', 'vakt.sqlite'), 'not for candidates');
    await symlink(join(dir, 'secret.txt'), join(dir, 'feed', 'link.yml'));
    server = await listeningServer('sqlite', { updatesDir: join(dir, 'feed') });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the channel file and the installer as electron-updater asks for them', async () => {
    const channel = await fetch(`${server.url}/updates/latest-linux.yml`);
    expect(channel.status).toBe(200);
    expect(channel.headers.get('content-type')).toBe('text/yaml; charset=utf-8');
    expect(channel.headers.get('cache-control')).toBe('no-cache');
    expect(await channel.text()).toContain('version: 0.2.0');
    const installer = await fetch(`${server.url}/updates/Vakt-0.2.0.AppImage`);
    expect(installer.status).toBe(200);
    expect((await installer.arrayBuffer()).byteLength).toBe(70_000);
  });

  it.each([
    '/updates/missing.yml',
    '/updates/..%2fsecret.txt',
    '/updates/%2e%2e%2fsecret.txt',
    '/updates/link.yml',
    '/updates/.hidden',
    '/updates/signing-ed25519.json',
    '/updates/vakt.sqlite',
  ])('answers 404 for %s, never a file outside the feed', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for candidates');
  });
});
