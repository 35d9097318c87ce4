import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { examPolicySchema } from '../../common/policy';

import { ProgramClassifier } from './catalogue';
import { builtInCatalogue } from './catalogue-data';
import { parsePs, PsSource } from './ps-source';

/**
 * The macOS source against `ps -axo pid=,uid=,state=,ucomm=` as a Mac prints it (a fixture:
 * macOS cannot run here). Real processes, through Linux's ps, are in
 * test/monitor/processes.test.ts.
 */
const fixture = () =>
  readFile(new URL('../../../test/fixtures/ps-darwin.txt', import.meta.url), 'utf8');

describe('the ps source', () => {
  it('reads pid, owner and name, names with spaces whole', async () => {
    const processes = await new PsSource(fixture).list();
    expect(processes).toContainEqual({ pid: 1, uid: 0, name: 'launchd' });
    expect(processes).toContainEqual({ pid: 1204, uid: 501, name: 'Discord Helper (' });
    expect(processes).toContainEqual({ pid: 688, uid: 501, name: 'zoom.us' });
  });

  it('leaves out zombies and lines that are not a process', async () => {
    const processes = await new PsSource(fixture).list();
    expect(processes.map(({ pid }) => pid)).not.toContain(1533); // state Z
    expect(parsePs('  PID   UID STAT UCOMM\n\nps: garbage\n 12 501 S    Finder\n')).toEqual([
      { pid: 12, uid: 501, name: 'Finder' },
    ]);
  });

  it('gives the classifier names it recognises, also when macOS cut them to 16 characters', async () => {
    const classifier = new ProgramClassifier(
      builtInCatalogue(),
      examPolicySchema.parse({}).processes,
      'darwin',
    );
    const programs = (await new PsSource(fixture).list())
      .map(({ name }) => classifier.classify(name))
      .filter((found) => found !== null && found.action !== 'allow')
      .map((found) => found!.friendlyName);
    expect(new Set(programs)).toEqual(
      new Set(['Zoom', 'Discord', 'Remote Desktop Connection', 'TeamViewer']),
    );
  });

  it('fails the poll, not the app, when ps cannot run', async () => {
    const source = new PsSource(() => Promise.reject(new Error('spawn /bin/ps ENOENT')));
    await expect(source.list()).rejects.toThrow('ENOENT');
  });
});
