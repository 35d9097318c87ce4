import { expect } from 'vitest';

import { STAFF_API_PREFIX } from '../../src/common/staff-api';

export interface LiveStream {
  /** Everything that has arrived so far. */
  text(): string;
  /** The server ended the stream (or it broke). */
  closed(): boolean;
  /** How many `event: candidates` blocks arrived after the first `from` characters. */
  candidateEvents(from?: number): number;
  cancel(): Promise<void>;
}

/** Opens an exam's live event stream as a staff member (`cookie`), once it says connected. */
export async function openLiveStream(
  base: string,
  examId: string,
  cookie: string,
): Promise<LiveStream> {
  const response = await fetch(`${base}${STAFF_API_PREFIX}/exams/${examId}/events`, {
    headers: { cookie },
  });
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  let received = '';
  let closed = false;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += Buffer.from(value).toString();
    }
    closed = true;
  })().catch(() => (closed = true));
  await expect.poll(() => received).toContain(': connected');
  return {
    text: () => received,
    closed: () => closed,
    candidateEvents: (from = 0) => received.slice(from).match(/event: candidate/g)?.length ?? 0,
    cancel: () => reader.cancel(),
  };
}
