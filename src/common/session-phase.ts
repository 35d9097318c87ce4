import { z } from 'zod';

/** The exam session's states (DESIGN.md "Exam session"); offline is a sub-state, not a phase. */
export const PHASES = [
  'signed-out',
  'preflight',
  'in-progress',
  'locked',
  'paused',
  'submitting',
  'submitted',
] as const;
export const phaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof phaseSchema>;

/** The phases a signed-in client reports in its heartbeat. */
export const signedInPhaseSchema = phaseSchema.exclude(['signed-out']);

/**
 * What the session announces to the Electron layer (lockdown, monitors, updater): its phase,
 * and `exiting` once the candidate may leave.
 */
export type LifecyclePhase = Phase | 'exiting';
