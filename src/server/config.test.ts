import { describe, expect, it } from 'vitest';

import { ConfigError, loadServerConfig } from './config';

describe('server configuration', () => {
  it('defaults to loopback, port 8080 and a local data folder', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, databaseUrl: null });
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.dataDir).toMatch(/\.vakt-data$/);
    expect(config.updatesDir).toBe(`${config.dataDir}-updates`);
  });

  it.each([
    ['/var/lib/vakt', 'the folder itself'],
    ['/var/lib/vakt/updates', 'inside it'],
    ['/var/lib', 'around it'],
  ])('refuses an update feed in %s (%s): it would serve the keys', (updates) => {
    expect(() =>
      loadServerConfig({ VAKT_DATA_DIR: '/var/lib/vakt', VAKT_UPDATES_DIR: updates }),
    ).toThrow(/must not be the data folder .* inside it or around it/);
    // A sibling with a common prefix is another folder.
    expect(
      loadServerConfig({
        VAKT_DATA_DIR: '/var/lib/vakt',
        VAKT_UPDATES_DIR: '/var/lib/vakt-updates',
      }).updatesDir,
    ).toBe('/var/lib/vakt-updates');
  });

  it('reads every documented variable', () => {
    const config = loadServerConfig({
      HOST: '0.0.0.0',
      PORT: '9000',
      VAKT_DATA_DIR: '/var/lib/vakt',
      DATABASE_URL: 'postgres://vakt@db/vakt',
      VAKT_PUBLIC_URL: 'https://exam.example.no/vakt/',
      VAKT_MIN_CLIENT_VERSION: '1.2.0',
      VAKT_WAITING_ROOM_MINUTES: '30',
      VAKT_DEMO: '1',
      VAKT_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16',
      VAKT_UPDATES_DIR: '/srv/vakt-updates',
      VAKT_SCHOOL_YEAR_END: '06-30',
      VAKT_RETENTION: 'off',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/var/lib/vakt',
      databaseUrl: 'postgres://vakt@db/vakt',
      publicUrl: 'https://exam.example.no/vakt',
      databaseSchema: 'public',
      minClientVersion: '1.2.0',
      waitingRoomMinutes: 30,
      maxConnectionsPerAddress: 1000,
      metricsToken: null,
      updatesDir: '/srv/vakt-updates',
      demo: true,
      trustProxy: ['10.0.0.1', '192.168.0.0/16'],
      schoolYearEnd: { month: 6, day: 30 },
      retentionDaily: false,
      handover: null,
    });
    expect(loadServerConfig({ VAKT_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadServerConfig({}).trustProxy).toBe(false);
    expect(loadServerConfig({}).waitingRoomMinutes).toBe(60);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ VAKT_TRUST_PROXY: 'everyone' }, /VAKT_TRUST_PROXY must be a hop count or/],
    [{ VAKT_TRUST_PROXY: '0' }, /hop count must be from 1 to 10/],
    [{ VAKT_TRUST_PROXY: '10.0.0.0/33' }, /"10.0.0.0\/33" is neither/],
    [{ VAKT_PUBLIC_URL: 'exam.example.no' }, /VAKT_PUBLIC_URL is not usable/],
    [{ VAKT_MIN_CLIENT_VERSION: 'latest' }, /VAKT_MIN_CLIENT_VERSION must look like/],
    [{ VAKT_MAX_CONNECTIONS_PER_ADDRESS: '5' }, /at least 10/],
    [{ VAKT_METRICS_TOKEN: 'short' }, /VAKT_METRICS_TOKEN must be at least 24/],
    [{ VAKT_WAITING_ROOM_MINUTES: '-5' }, /VAKT_WAITING_ROOM_MINUTES must be a whole number/],
    [{ VAKT_WAITING_ROOM_MINUTES: 'an hour' }, /from 0 to 720/],
    [{ VAKT_SCHOOL_YEAR_END: '02-30' }, /VAKT_SCHOOL_YEAR_END must be a school year's last day/],
    [{ VAKT_SCHOOL_YEAR_END: 'June' }, /as MM-DD/],
    [{ VAKT_RETENTION: 'yes' }, /VAKT_RETENTION must be "on" or "off"/],
    [{ VAKT_HANDOVER_URL: 'http://lms.example.no/in' }, /must be an https:\/\/ URL/],
    [{ VAKT_HANDOVER_URL: 'https://lms.example.no/in' }, /VAKT_HANDOVER_SECRET must be/],
    [
      { VAKT_HANDOVER_URL: 'https://lms.example.no/in', VAKT_HANDOVER_SECRET: 'hunter2' },
      /VAKT_HANDOVER_SECRET must be/,
    ],
  ])('explains a bad setting %j', (env, message) => {
    expect(() => loadServerConfig(env)).toThrow(ConfigError);
    expect(() => loadServerConfig(env)).toThrow(message);
  });
});
