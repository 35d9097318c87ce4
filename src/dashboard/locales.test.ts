import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';

import { AUDIT_ACTIONS, AUDIT_DETAILS, AUDIT_OUTCOMES } from '../common/audit-actions';
import { EVENT_PAYLOADS, PROCESS_CATEGORIES } from '../common/events';
import { SERVER_FLAG_KINDS } from '../common/server-flags';
import { CANDIDATE_STATES, IMPORT_ROW_PROBLEMS } from '../common/staff-api';
import { BAD_CSV_REASONS, STAFF_ERROR_CODES } from '../common/staff-errors';

import { describeEvent } from './describe';
import { en } from './locales/en';
import { nb } from './locales/nb';
import { nn } from './locales/nn';

/** Kinds the timeline leaves out. */
const NOT_SHOWN = new Set(['answer.saved', 'sync.nonce']);

/** Every state and every event the dashboard can show has words in every language. */
describe('the dashboard in three languages', () => {
  it.each(['en', 'nb', 'nn'] as const)('words every state and event in %s', async (language) => {
    const i18n = createInstance();
    await i18n.init({
      resources: { en: { translation: en }, nb: { translation: nb }, nn: { translation: nn } },
      lng: language,
      fallbackLng: false,
    });
    const params = { what: 'X', date: '2026-01-01', message: 'm', missing: 'name', seconds: 5 };
    for (const code of STAFF_ERROR_CODES) {
      const keys =
        code === 'bad-csv' ? BAD_CSV_REASONS.map((r) => `errors.bad-csv_${r}`) : [`errors.${code}`];
      for (const key of keys) expect(i18n.t(key, params), key).not.toMatch(/^errors\.|\{\{/);
    }
    for (const action of AUDIT_ACTIONS)
      expect(i18n.t(`audit.actions.${action}`), action).not.toBe(`audit.actions.${action}`);
    for (const outcome of AUDIT_OUTCOMES)
      expect(i18n.t(`audit.outcomes.${outcome}`), outcome).not.toBe(`audit.outcomes.${outcome}`);
    for (const detail of Object.values(AUDIT_DETAILS))
      expect(i18n.t(`audit.details.${detail}`), detail).not.toBe(`audit.details.${detail}`);
    for (const code of IMPORT_ROW_PROBLEMS) {
      const words = i18n.t(`admin.rowProblems.${code}`, { candidateNumber: '3001' });
      expect(words, code).not.toMatch(/^admin\.|\{\{/);
    }
    for (const category of PROCESS_CATEGORIES) {
      expect(i18n.t(`categories.${category}`), category).not.toBe(`categories.${category}`);
    }
    for (const state of CANDIDATE_STATES) {
      expect(i18n.t(`states.${state}`), state).not.toBe(`states.${state}`);
    }
    const kinds = [...Object.keys(EVENT_PAYLOADS), ...SERVER_FLAG_KINDS].filter(
      (k) => !NOT_SHOWN.has(k),
    );
    for (const kind of kinds) {
      const payload = kind === 'power.changed' ? { state: 'suspended' } : {};
      const words = describeEvent(i18n.t, { kind, payload });
      // A kind without words would show as itself.
      expect(words, kind).not.toBe(kind);
      expect(words, kind).not.toMatch(/^events\.|\{\{/);
    }
    // Ending a program is worded by how it went: never "ended" for one still running.
    const ended = (outcome: string) =>
      describeEvent(i18n.t, {
        kind: 'process.terminated',
        payload: { name: 'AnyDesk', category: 'remote-access', outcome },
      });
    const outcomes = ['ended', 'not-permitted', 'still-running'].map(ended);
    // A program restarted after being ended is said to keep coming back, with how often.
    const respawned = describeEvent(i18n.t, {
      kind: 'process.terminated',
      payload: { name: 'AnyDesk', category: 'remote-access', outcome: 'ended', returns: 49 },
    });
    expect(respawned).toContain(
      i18n.t('events.process.keepsComingBack', { name: 'AnyDesk', count: 49 }),
    );
    expect(respawned).toContain('49');
    expect(new Set(outcomes).size).toBe(3);
    for (const words of outcomes) expect(words).toContain('AnyDesk');
    expect(ended('still-running')).toBe(
      i18n.t('events.process.terminated.still-running', { name: 'AnyDesk' }),
    );
    // A monitoring event emptied when the grades were final says so, not "Program started: ".
    const removed = describeEvent(i18n.t, {
      kind: 'process.started',
      payload: { removed: 'grades-final' },
    });
    expect(removed).toBe(i18n.t('events.removed'));
    expect(removed).not.toMatch(/^events\./);
  });

  it('has the same keys in every language', () => {
    const keys = (value: object, prefix = ''): string[] =>
      Object.entries(value).flatMap(([key, inner]) =>
        typeof inner === 'object' ? keys(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
      );
    expect(keys(nb).sort()).toEqual(keys(en).sort());
    expect(keys(nn).sort()).toEqual(keys(en).sort());
  });
});
