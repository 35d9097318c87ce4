import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { extractFile, listPackage } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { packClient } from '../scripts/dist';

const root = new URL('..', import.meta.url).pathname;
const CONFIG = join(root, 'electron-builder.yml');

/** The fuses DESIGN.md "Electron shell" names, and the value each must have. */
const DESIGN_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
} as const;

const FUSE_INDEX: Record<keyof typeof DESIGN_FUSES, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

async function loadConfig() {
  return getConfig(root, CONFIG, null);
}

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own schema", async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check is real: a misspelt option is refused', async () => {
    const config = { ...(await loadConfig()), electronFuse: { runAsNode: false } };
    await expect(validateConfiguration(config as never, new DebugLogger(false))).rejects.toThrow(
      /electronFuse/,
    );
  });

  it('sets every fuse DESIGN.md names to its value', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toMatchObject(DESIGN_FUSES);
  });

  it('names the product, the vakt:// scheme, asar and every installer target', async () => {
    const config = await loadConfig();
    expect(config.productName).toBe('Vakt');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.asar).toBe(true);
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['vakt'] })]);
    expect(config.win?.target).toEqual(['nsis', 'msi']);
    expect(config.mac?.target).toEqual(['dmg', 'pkg']);
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  });

  it('installs as IT expects: per machine, silent, a fixed identity, updates by publisher', async () => {
    const config = await loadConfig();
    expect(config.nsis).toMatchObject({ perMachine: true, runAfterFinish: false });
    expect(config.nsis?.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.msi).toMatchObject({ perMachine: true, runAfterFinish: false });
    expect(config.msi?.upgradeCode).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.pkg).toMatchObject({ isRelocatable: false, installLocation: '/Applications' });
    expect(config.mac?.notarize).toBe(true);
    expect(config.win?.signtoolOptions?.publisherName).toEqual(['Vakt']);
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic' })]);
  });
});

/**
 * A stand-in for the Electron binary (which cannot be downloaded here): random bytes around
 * Electron's fuse wire — the sentinel, wire version 1, the fuse count, one state byte per
 * fuse — each fuse set to the opposite of what we configure, so a flip is visible.
 */
async function makeStandInElectron(dir: string): Promise<void> {
  const states = new Array<number>(9).fill(FuseState.ENABLE);
  for (const [name, value] of Object.entries(DESIGN_FUSES)) {
    states[FUSE_INDEX[name as keyof typeof DESIGN_FUSES]] = value
      ? FuseState.DISABLE
      : FuseState.ENABLE;
  }
  const wire = Buffer.concat([
    randomBytes(4096),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, states.length, ...states]),
    randomBytes(4096),
  ]);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'electron'), wire);
  await chmod(join(dir, 'electron'), 0o755);
}

describe('packing with electron-builder --linux --dir', () => {
  let work: string;
  let unpacked: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vakt-pack-'));
    await makeStandInElectron(join(work, 'electron-dist'));
    // out/ was built by test/support/global-setup.ts. The same packing as npm run dist.
    process.env.CI = 'true';
    await packClient({
      targets: { linux: ['dir'] },
      config: {
        electronDist: join(work, 'electron-dist'),
        npmRebuild: false,
        directories: { output: join(work, 'release') },
      },
    });
    unpacked = join(work, 'release', 'linux-unpacked');
  }, 240_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('flips every fuse as configured', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'vakt'));
    for (const [name, value] of Object.entries(DESIGN_FUSES)) {
      const index = FUSE_INDEX[name as keyof typeof DESIGN_FUSES];
      expect({ name, state: wire[index] }).toEqual({
        name,
        state: value ? FuseState.ENABLE : FuseState.DISABLE,
      });
    }
  });

  it('packs the built app into the asar, without sources, tests or source maps', async () => {
    const asar = join(unpacked, 'resources', 'app.asar');
    const files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/preload/index.cjs');
    expect(files).toContain('/out/renderer/index.html');
    expect(files.filter((f) => /^\/(src|test)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // Only the client: the modules its main process loads, none of the exam server's.
    const modules = new Set(
      files
        .filter((f) => /^\/node_modules\/(@[^/]+\/)?[^/]+$/.test(f))
        .map((f) => f.replace('/node_modules/', '')),
    );
    for (const client of ['electron-store', 'electron-updater', 'get-windows', 'ps-list'])
      expect(modules, client).toContain(client);
    for (const server of ['fastify', 'pg', 'better-sqlite3', 'kysely', 'helmet', 'tsx'])
      expect(modules, server).not.toContain(server);
    // Bundled into out/main instead.
    for (const bundled of ['axios', 'zod', '@noble/curves']) expect(modules).not.toContain(bundled);
    expect(files.filter((f) => /^\/(out|src)\/server/.test(f))).toEqual([]);
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    // The packed main is the one just built.
    const built = await readFile(join(root, 'out/main/index.js'));
    expect(extractFile(asar, 'out/main/index.js').equals(built)).toBe(true);
  });
});
