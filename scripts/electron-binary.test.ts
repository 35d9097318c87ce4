import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { findElectronBinary } from './electron-binary';

describe('findElectronBinary', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'vakt-electron-'));
    await mkdir(join(root, 'node_modules', 'electron'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('is null when the binary was never downloaded (no path.txt)', () => {
    expect(findElectronBinary(root)).toBeNull();
  });

  it('is null when path.txt names a file missing from dist/', async () => {
    await writeFile(join(root, 'node_modules/electron/path.txt'), 'electron');
    expect(findElectronBinary(root)).toBeNull();
  });

  it('finds the executable path.txt names under dist/', async () => {
    await writeFile(join(root, 'node_modules/electron/path.txt'), 'electron');
    await mkdir(join(root, 'node_modules/electron/dist'));
    await writeFile(join(root, 'node_modules/electron/dist/electron'), '');
    expect(findElectronBinary(root)).toBe(join(root, 'node_modules/electron/dist/electron'));
  });
});
