import { createHash } from 'node:crypto';

import type { EventPayload } from '../../common/events';
import type { IpcRequest } from '../../common/ipc';
import type { ExamPolicy } from '../../common/policy';
import type { Phase } from '../../common/session-phase';

export type ClipboardRequest = IpcRequest<'clipboard'>;

/** The phases in which the exam runs and the clipboard policy holds (as the lockdown's). */
const RUNNING: readonly Phase[] = ['in-progress', 'locked', 'paused', 'submitting'];

/**
 * A candidate holding Ctrl+V refuses dozens of pastes a second: one record per way is enough,
 * and one more as soon as a paste brings text where the last brought none.
 */
const JOURNAL_EVERY_MS = 2_000;

export interface ClipboardVerdict {
  allowed: boolean;
  /** What to journal: a refusal, at most one per way in every couple of seconds. */
  refused: EventPayload<'clipboard.refused'> | null;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Main's decision on every copy, paste and drop in the exam window (DESIGN.md "Lockdown"):
 * outside the exam, anything; while it runs, only text copied inside the exam pastes back in,
 * and only when `clipboard.allowWithinExam` says so. Text from anywhere else (another program,
 * Linux's selection under a middle click, a drop from outside) stays out and is journaled by its
 * length only. What was copied is kept as a hash, in memory, for one exam: the session makes a
 * new rule for each. `now` is a monotonic clock, so setting the clock back hides nothing.
 */
export class ClipboardRule {
  private copied: string | null = null;
  private readonly journaledAt = new Map<string, number>();

  decide(
    request: ClipboardRequest,
    phase: Phase,
    policy: ExamPolicy | null,
    now: number,
  ): ClipboardVerdict {
    const running = RUNNING.includes(phase);
    const allowWithin = policy?.clipboard.allowWithinExam ?? false;
    if (request.action === 'copy') {
      this.copied = running && allowWithin ? digest(request.text) : null;
      return { allowed: !running || allowWithin, refused: null };
    }
    if (!running) return { allowed: true, refused: null };
    const ours = this.copied !== null && digest(request.text) === this.copied;
    if (allowWithin && ours && request.action !== 'drop') return { allowed: true, refused: null };
    const via = request.action;
    const chars = [...request.text].length;
    const limit = `${via}:${chars > 0}`;
    const last = this.journaledAt.get(limit) ?? Number.NEGATIVE_INFINITY;
    if (now - last < JOURNAL_EVERY_MS) return { allowed: false, refused: null };
    this.journaledAt.set(limit, now);
    return { allowed: false, refused: { via, chars } };
  }
}
