import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signatureFetcher, verifyDownloads } from '../../src/main/update/update-signature';
import { listeningServer, type ListeningServer } from '../support/client-session';

const root = new URL('../..', import.meta.url).pathname;

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

  it('lets a client verify a release signed with sign-update, and nothing else', async () => {
    const run = (...args: string[]) =>
      spawnSync(
        join(root, 'node_modules/.bin/tsx'),
        [join(root, 'scripts/sign-update.ts'), ...args],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
    const keyFile = join(dir, 'release-key.txt');
    const created = run('new-key', keyFile);
    expect(created.status, created.stderr).toBe(0);
    const publicKey = /UpdatePublicKeys: ([0-9a-f]{64})/.exec(created.stdout)?.[1];
    expect(publicKey).toBeDefined();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    // Never over a key, and a clear line for every mistake, no stack trace.
    expect(run('new-key', keyFile).stderr).toBe(
      `sign-update: ${keyFile} exists already; Vakt never writes over a key\n`,
    );
    expect(run('sign', '--key', keyFile, '--version', 'latest', 'x').stderr).toBe(
      'sign-update: "latest" is not a version such as 0.3.0\n',
    );
    expect(run('sign', '--kye', keyFile).stderr).toMatch(/^sign-update: Unknown option '--kye'/);

    const installer = join(dir, 'feed', 'Vakt-0.2.0.AppImage');
    const signed = run('sign', '--key', keyFile, '--version', '0.2.0', installer);
    expect(signed.stdout).toBe(`signed 0.2.0: ${installer}.sig\n`);
    // A signature is replaced in place when a release is signed again: never from a cache.
    const served = await fetch(`${server.url}/updates/Vakt-0.2.0.AppImage.sig`);
    expect(served.headers.get('cache-control')).toBe('no-cache');
    // The client downloads the installer and fetches its .sig from the same feed.
    const fetchSignature = signatureFetcher(`${server.url}/updates/`, (url) => fetch(url));
    const downloaded = join(dir, 'Vakt-0.2.0.AppImage');
    await writeFile(downloaded, await readFile(installer));
    expect(await verifyDownloads([downloaded], '0.2.0', [publicKey!], fetchSignature)).toEqual({
      ok: true,
    });
    // Whoever controls the feed swaps the installer (and fixes the sha512 in the yml): refused.
    await writeFile(downloaded, Buffer.alloc(70_000, 8));
    expect(await verifyDownloads([downloaded], '0.2.0', [publicKey!], fetchSignature)).toEqual({
      ok: false,
      reason: 'Vakt-0.2.0.AppImage is not signed by a pinned update key',
      retry: false,
    });
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
