/**
 * Every action the audit log records, a closed list: the server can write no other (the type
 * says so), and the dashboard words each one in nb, nn and en (locales.test.ts checks it).
 */
export const AUDIT_ACTIONS = [
  'assignments.add',
  'assignments.list',
  'assignments.remove',
  'audit.read',
  'audit.verify',
  'candidates.import',
  'candidates.instruct',
  'candidates.instruct-room',
  'candidates.list',
  'candidates.new-codes',
  'candidates.remove',
  'candidates.update',
  'candidates.view',
  'candidates.view-timeline',
  'exams.create',
  'exams.list',
  'exams.update',
  'flags.review',
  'hand-in.list-held',
  'hand-in.upload',
  'handovers.abandon',
  'handovers.dead-letter',
  'handovers.list',
  'handovers.retry',
  'legal-holds.list',
  'legal-holds.open',
  'legal-holds.release',
  'live.subscribe',
  'reports.export',
  'reports.view',
  'research.export',
  'research.recipient',
  'retention.dry-run',
  'retention.list',
  'retention.run',
  'server.restore',
  'staff.me',
  'staff.sign-in',
  'staff.sign-out',
  'subject-access.export',
  'users.create',
  'users.list',
  'users.reset-password',
  'users.sign-out',
  'users.update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;

/**
 * Details the server writes in fixed words, worded on the dashboard; any other detail (a count,
 * an id, what changed) is data and shown as it is.
 */
export const AUDIT_DETAILS = {
  'wrong email or password': 'wrongPassword',
  'account disabled': 'accountDisabled',
  'admin only': 'adminOnly',
  'not assigned to this exam': 'notAssigned',
  'no such exam': 'noSuchExam',
  'candidate not in this exam': 'candidateNotInExam',
  'changed nothing': 'changedNothing',
} as const;
