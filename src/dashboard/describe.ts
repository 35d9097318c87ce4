import type { TFunction } from 'i18next';

import type { PreflightBlocker } from '../common/events';
import type { TimelineEntry } from '../common/staff-api';

type Payload = Record<string, unknown>;

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/** How ending a program went (process.terminated's outcome). */
const TERMINATE_OUTCOMES = ['ended', 'not-permitted', 'still-running'];
/** A program category in words; one the dashboard does not know shows as itself. */
export function categoryWords(t: TFunction, category: unknown): string {
  return t(`categories.${text(category)}`, { defaultValue: text(category) });
}

/** How text from outside was kept out of the exam (clipboard.refused's via). */
const CLIPBOARD_VIAS = ['paste', 'middle-click', 'drop'];
/** A length of time as m:ss (h:mm:ss from an hour). */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [hours, minutes, seconds] = [
    Math.floor(total / 3600),
    Math.floor(total / 60) % 60,
    total % 60,
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/**
 * A timeline entry in the staff member's language: the kind's words with what its payload
 * says (a program's name, seconds away); a kind the dashboard does not know shows as itself.
 */
export function describeEvent(
  t: TFunction,
  entry: Pick<TimelineEntry, 'kind' | 'payload'>,
): string {
  const p = (entry.payload ?? {}) as Payload;
  // A monitoring event whose details went when the grades were final (docs/privacy.md).
  if (p.removed === 'grades-final') return t('events.removed');
  switch (entry.kind) {
    case 'session.started':
      return t('events.session.started', { version: text(p.clientVersion) });
    case 'preflight.blocked': {
      const blockers = Array.isArray(p.blockers) ? (p.blockers as PreflightBlocker[]) : [];
      return blockers.length === 0
        ? t('events.preflight.clear')
        : t('events.preflight.blocked', { list: describeBlockers(t, blockers) });
    }
    case 'preflight.passed':
      return t(p.overridden === true ? 'events.preflight.overridden' : 'events.preflight.passed');
    case 'process.started':
    case 'process.stopped':
      return t(`events.${entry.kind}`, {
        name: text(p.name),
        category: categoryWords(t, p.category),
      });
    case 'process.terminated': {
      // Said as it went: an invigilator must never read "ended" for a program still running.
      const outcome = TERMINATE_OUTCOMES.includes(text(p.outcome)) ? text(p.outcome) : 'ended';
      const said = t(`events.process.terminated.${outcome}`, { name: text(p.name) });
      // A program that comes back after being ended is being restarted on purpose: say so.
      const returns = Number(p.returns);
      if (!Number.isInteger(returns) || returns < 1) return said;
      return `${said}. ${t('events.process.keepsComingBack', { name: text(p.name), count: returns })}`;
    }
    case 'focus.regained':
      return t('events.focus.regained', { seconds: Math.round(Number(p.durationMs) / 1000) });
    case 'message.received':
    case 'hand.raised':
      return t(`events.${entry.kind}${text(p.text) ? '' : 'Silent'}`, { text: text(p.text) });
    case 'hand.lowered':
      return t(`events.hand.lowered.${p.by === 'invigilator' ? 'invigilator' : 'candidate'}`);
    case 'exam.resumed':
      return t('events.exam.resumed', { time: duration(Number(p.pausedMs) || 0) });
    case 'network.online':
      return t('events.network.online', { seconds: Math.round(Number(p.offlineMs) / 1000) });
    case 'answers.seeded':
      return t('events.answers.seeded', { count: Number(p.count) || 0 });
    case 'display.changed':
      return t('events.display.changed', {
        count: Array.isArray(p.displays) ? p.displays.length : 0,
      });
    case 'power.changed':
      return t(`events.power.changed.${text(p.state)}`, { defaultValue: text(p.state) });
    case 'instruction.applied':
      return t('events.instruction.applied', {
        kind: t(`actions.kinds.${text(p.kind)}`, {
          minutes: p.minutes,
          defaultValue: text(p.kind),
        }),
      });
    case 'remote-session.detected':
      return t('events.remote-session.detected', { detail: text(p.detail) });
    case 'clipboard.refused':
      return t(
        `events.clipboard.refused.${CLIPBOARD_VIAS.includes(text(p.via)) ? text(p.via) : 'paste'}`,
        {
          count: Number(p.chars) || 0,
        },
      );
    case 'exit.attempted':
      return t('events.exit.attempted', { via: text(p.via) });
    default:
      return t(`events.${entry.kind}`, { defaultValue: entry.kind });
  }
}

/** What keeps a candidate in the checks, in words: "close Discord; a mirrored display". */
export function describeBlockers(t: TFunction, blockers: readonly PreflightBlocker[]): string {
  return blockers
    .map((blocker) => {
      switch (blocker.code) {
        case 'program':
          return t('blockers.program', { name: blocker.name });
        case 'too-many-displays':
          return t('blockers.tooManyDisplays', blocker);
        case 'mirrored':
          return t('blockers.mirrored');
        case 'virtual-machine':
          return t('blockers.virtualMachine');
        case 'remote-session':
          return t(
            `blockers.remote.${blocker.via === 'remote-access-program' ? 'program' : blocker.via}`,
          );
      }
    })
    .join('; ');
}
