import { isEventKind, type EventKind, type EventPayload } from '../../common/events';
import type { ExamPolicy } from '../../common/policy';
import type { ServerFlagKind } from '../../common/server-flags';
import type { Severity } from '../../common/staff-api';
import type { ServerFlag } from '../repositories/server-flags';

/** A flag's severity: what is `info` is not a flag. */
export type FlagSeverity = Exclude<Severity, 'info'>;

type Rule<K extends EventKind> =
  Severity | ((payload: EventPayload<K>, policy: ExamPolicy) => Severity);

/**
 * The server assigns severity from the event kind, its payload and the exam policy — never
 * the client. Severity orders an invigilator's attention; it is not a verdict. One entry per
 * kind of the event catalogue: a new kind without one does not compile.
 */
const EVENT_SEVERITY: { [K in EventKind]: Rule<K> } = {
  'session.started': 'info',
  'preflight.blocked': 'info',
  'preflight.passed': 'info',
  'exam.started': 'info',
  'answer.saved': 'info',
  'place.kept': 'info',
  'answers.seeded': 'info',
  'submission.sealed': 'info',
  'process.started': ({ action, category }) =>
    action === 'terminate' || category === 'remote-access' ? 'high' : 'medium',
  // A program that keeps coming back after being ended is being restarted on purpose.
  'process.terminated': ({ outcome, returns }) =>
    outcome === 'ended' && returns === undefined ? 'medium' : 'high',
  'process.stopped': 'info',
  'focus.lost': 'low',
  'focus.regained': ({ durationMs }, policy) => {
    if (durationMs < policy.focus.flagAfterMs) return 'info';
    return durationMs >= 10_000 ? 'medium' : 'low';
  },
  'display.changed': ({ displays }, policy) => {
    const tooMany = displays.length > policy.displays.maxDisplays;
    const mirrored = !policy.displays.allowMirroring && displays.some((d) => d.mirrored);
    return tooMany || mirrored ? 'high' : 'info';
  },
  'vm.evidence': ({ findings }, policy) => {
    if (policy.virtualMachine.action === 'allow') return 'info';
    if (!findings.some((f) => f.confidence === 'high')) return findings.length > 0 ? 'low' : 'info';
    return policy.virtualMachine.action === 'block' ? 'high' : 'medium';
  },
  'remote-session.detected': 'high',
  'monitoring.failed': 'medium',
  'power.changed': ({ state }) =>
    state === 'suspended' || state === 'screen-locked' ? 'low' : 'info',
  'network.offline': 'low',
  'network.online': 'info',
  'storage.failed': 'medium',
  'integrity.torn': 'high',
  'integrity.key-unprotected': 'medium',
  'integrity.altered': 'high',
  'lock.engaged': 'info',
  'lock.released': 'info',
  'exam.paused': 'info',
  'exam.resumed': 'info',
  'message.received': 'info',
  'message.read': 'info',
  'hand.raised': 'info',
  'hand.lowered': 'info',
  'exit.attempted': 'medium',
  // Nothing got in; an empty paste is no attempt to bring anything.
  'clipboard.refused': ({ chars }) => (chars > 0 ? 'low' : 'info'),
  'exit.allowed': 'info',
  'instruction.applied': 'info',
  'sync.nonce': 'info',
};

/** The severity of a stored record (a kind outside the catalogue is never a flag). */
export function severityFor(kind: string, payload: unknown, policy: ExamPolicy): Severity {
  if (!isEventKind(kind)) return 'info';
  const rule = EVENT_SEVERITY[kind] as Rule<EventKind>;
  return typeof rule === 'string' ? rule : rule(payload as EventPayload<EventKind>, policy);
}

/** What the records table stores: the severity of a flag, or null for what is not one. */
export function storedSeverity(
  kind: string,
  payload: unknown,
  policy: ExamPolicy,
): FlagSeverity | null {
  const severity = severityFor(kind, payload, policy);
  return severity === 'info' ? null : severity;
}

/** The severity of each flag the server raises itself: a new kind without one does not compile. */
export const SERVER_FLAG_SEVERITY: Record<ServerFlagKind, FlagSeverity> = {
  'answer.after-submission': 'high',
  'answer.after-deadline': 'high',
  'answer.from-replaced-device': 'medium',
  'records.quarantined': 'high',
  'records.over-quota': 'medium',
  'hand-in.quarantined': 'high',
  'submission.mismatch': 'high',
};

/** A flag the server raises itself, with its severity from the table. */
export function serverFlag(
  kind: ServerFlagKind,
  where: Pick<ServerFlag, 'candidateId' | 'journalId' | 'seq'>,
  detail: string,
): ServerFlag {
  return { ...where, kind, severity: SERVER_FLAG_SEVERITY[kind], detail };
}
