import type { EventKind, EventPayload } from '../common/events';
import type { ExamPolicy } from '../common/policy';
import type { Severity } from '../common/staff-api';

/**
 * The server assigns severity from the event kind, its payload and the exam policy — never
 * the client. Severity orders an invigilator's attention; it is not a verdict.
 */
export function severityFor(kind: string, payload: unknown, policy: ExamPolicy): Severity {
  const p = payload as EventPayload<EventKind>;
  switch (kind as EventKind) {
    case 'process.started': {
      const { action, category } = p as EventPayload<'process.started'>;
      return action === 'terminate' || category === 'remote-access' ? 'high' : 'medium';
    }
    case 'process.terminated': {
      const { outcome, returns } = p as EventPayload<'process.terminated'>;
      // A program that keeps coming back after being ended is being restarted on purpose.
      return outcome === 'ended' && returns === undefined ? 'medium' : 'high';
    }
    case 'focus.lost':
      return 'low';
    case 'focus.regained': {
      const { durationMs } = p as EventPayload<'focus.regained'>;
      if (durationMs < policy.focus.flagAfterMs) return 'info';
      return durationMs >= 10_000 ? 'medium' : 'low';
    }
    case 'display.changed': {
      const { displays } = p as EventPayload<'display.changed'>;
      const tooMany = displays.length > policy.displays.maxDisplays;
      const mirrored = !policy.displays.allowMirroring && displays.some((d) => d.mirrored);
      return tooMany || mirrored ? 'high' : 'info';
    }
    case 'vm.evidence': {
      if (policy.virtualMachine.action === 'allow') return 'info';
      const { findings } = p as EventPayload<'vm.evidence'>;
      if (!findings.some((f) => f.confidence === 'high'))
        return findings.length > 0 ? 'low' : 'info';
      return policy.virtualMachine.action === 'block' ? 'high' : 'medium';
    }
    case 'remote-session.detected':
    case 'integrity.torn':
    case 'integrity.altered':
      return 'high';
    case 'exit.attempted':
    case 'storage.failed':
    case 'monitoring.failed':
    case 'integrity.key-unprotected':
      return 'medium';
    case 'power.changed': {
      const { state } = p as EventPayload<'power.changed'>;
      return state === 'suspended' || state === 'screen-locked' ? 'low' : 'info';
    }
    case 'network.offline':
      return 'low';
    default:
      return 'info';
  }
}

/** What the records table stores: the severity of a flag, or null for what is not one. */
export function storedSeverity(
  kind: string,
  payload: unknown,
  policy: ExamPolicy,
): Exclude<Severity, 'info'> | null {
  const severity = severityFor(kind, payload, policy);
  return severity === 'info' ? null : severity;
}
