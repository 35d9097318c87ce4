import { PROCESS_CATEGORIES } from './events';
import type { PreflightReport } from './ipc';
import type { ExamPolicy } from './policy';

/** What a policy has Vakt record, for the candidate to read before the start. */
export function recordedBy(policy: ExamPolicy): PreflightReport['recorded'] {
  const programs = PROCESS_CATEGORIES.flatMap((category) => {
    const action = policy.processes.categoryActions[category];
    return action === 'allow' ? [] : [{ category, action }];
  });
  return {
    programs,
    focus: true,
    windowTitles: policy.privacy.recordWindowTitles,
    displays: true,
  };
}
