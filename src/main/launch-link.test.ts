import { describe, expect, it } from 'vitest';

import { linkInArgv, readLaunchLink } from './launch-link';

const server = 'https://exam.school.no';

describe('vakt:// links', () => {
  it('fill in the exam code for the configured server', () => {
    expect(readLaunchLink('vakt://exam.school.no/demo-1', server)).toEqual({
      ok: true,
      link: { examCode: 'DEMO-1' },
    });
    expect(readLaunchLink('VAKT://EXAM.school.no/DEMO-1/', server)).toMatchObject({ ok: true });
    expect(
      readLaunchLink('vakt://exam.school.no:8443/x-12', 'https://exam.school.no:8443/'),
    ).toEqual({ ok: true, link: { examCode: 'X-12' } });
  });

  it.each([
    ['vakt://evil.example.com/DEMO-1', 'other-server'],
    ['vakt://exam.school.no:8443/DEMO-1', 'other-server'],
    ['vakt://exam.school.no.evil.com/DEMO-1', 'other-server'],
    ['vakt://exam.school.no/', 'malformed'],
    ['vakt://exam.school.no/DEMO-1?server=https://evil.example.com', 'malformed'],
    ['vakt://user:pw@exam.school.no/DEMO-1', 'malformed'],
    ['vakt://exam.school.no/<script>', 'malformed'],
    // Shorter than any exam code can be.
    ['vakt://exam.school.no/X1', 'malformed'],
    ['vakt://exam.school.no/%E0%A4%A', 'malformed'],
    ['https://exam.school.no/DEMO-1', 'not-a-link'],
  ])('refuses %s (%s)', (link, reason) => {
    expect(readLaunchLink(link, server)).toEqual({ ok: false, reason });
  });

  it('refuses every link while no server is configured', () => {
    expect(readLaunchLink('vakt://exam.school.no/DEMO-1', null)).toEqual({
      ok: false,
      reason: 'other-server',
    });
  });

  it('finds the link among the arguments Windows and Linux start Vakt with', () => {
    expect(linkInArgv(['C:\\Vakt\\Vakt.exe', 'vakt://exam.school.no/DEMO-1'])).toBe(
      'vakt://exam.school.no/DEMO-1',
    );
    expect(linkInArgv(['vakt', '--updated'])).toBeNull();
  });
});
