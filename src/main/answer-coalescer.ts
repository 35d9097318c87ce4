import type { AnswerValue } from '../common/answers';

import type { Timers } from './timers';

export type CoalescerTimers = Timers;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface QuestionState {
  pending: AnswerValue | null;
  waiters: Waiter[];
  lastWriteAt: number;
  timer: unknown;
  writing: Promise<void> | null;
}

/**
 * While a candidate types, at most one `answer.saved` per question every `intervalMs`; at once
 * when they leave the question, submit or are locked (`flush`). Each change's promise settles
 * when a write containing it (or a later value) is durable; a failed write rejects the waiting
 * promises but keeps the value, which the next change or flush writes again.
 */
export class AnswerCoalescer {
  private readonly questions = new Map<string, QuestionState>();

  constructor(
    private readonly write: (questionId: string, value: AnswerValue) => Promise<void>,
    private readonly timers: CoalescerTimers,
    /**
     * Whether a failed write may succeed later (storage), so its value is kept for the next
     * attempt; a value refused for what it is would only be refused again, and leaves.
     */
    private readonly retryable: (error: unknown) => boolean = () => true,
    private readonly intervalMs = 500,
  ) {}

  change(questionId: string, value: AnswerValue): Promise<void> {
    const state = this.state(questionId);
    state.pending = value;
    const saved = new Promise<void>((resolve, reject) => state.waiters.push({ resolve, reject }));
    const wait = state.lastWriteAt + this.intervalMs - this.timers.now();
    if (wait <= 0 && !state.writing) {
      void this.writeNow(questionId);
    } else if (state.timer === null) {
      state.timer = this.timers.setTimeout(
        () => {
          state.timer = null;
          void this.writeNow(questionId);
        },
        Math.max(wait, 0),
      );
    }
    return saved;
  }

  /** Writes what is pending now: for one question (leaving it), or all (submitting, locking). */
  async flush(questionId?: string): Promise<void> {
    const ids = questionId === undefined ? [...this.questions.keys()] : [questionId];
    await Promise.all(ids.map((id) => this.writeNow(id)));
  }

  /** Questions with a value not yet durable: what the UI must not call saved. */
  unsaved(): string[] {
    return [...this.questions].filter(([, state]) => state.pending !== null).map(([id]) => id);
  }

  private state(questionId: string): QuestionState {
    let state = this.questions.get(questionId);
    if (!state) {
      state = { pending: null, waiters: [], lastWriteAt: -Infinity, timer: null, writing: null };
      this.questions.set(questionId, state);
    }
    return state;
  }

  private async writeNow(questionId: string): Promise<void> {
    const state = this.state(questionId);
    if (state.timer !== null) {
      this.timers.clearTimeout(state.timer);
      state.timer = null;
    }
    // One write per question at a time; a change during it is written right after.
    while (state.writing) await state.writing;
    if (state.pending === null) return;
    const value = state.pending;
    const waiters = state.waiters.splice(0);
    state.pending = null;
    state.lastWriteAt = this.timers.now();
    state.writing = this.write(questionId, value).then(
      () => waiters.forEach((w) => w.resolve()),
      (error: unknown) => {
        // Keep the value for the next attempt unless a newer one arrived meanwhile.
        if (this.retryable(error)) state.pending ??= value;
        waiters.forEach((w) => w.reject(error));
      },
    );
    try {
      await state.writing;
    } finally {
      state.writing = null;
    }
  }
}
