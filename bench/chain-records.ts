import type { EventKind, EventPayload } from '../src/common/events';
import { chainRecord, type JournalRecord } from '../src/common/journal-record';

/** A chain of `count` records from seq 1, the i-th of `kind` with `payload(i)`. */
export function makeChain<K extends EventKind>(
  count: number,
  kind: K,
  payload: (i: number) => EventPayload<K>,
): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    records.push(
      chainRecord(records.at(-1) ?? null, {
        kind,
        at: 1_800_000_000_000 + i,
        mono: i,
        payload: payload(i),
      }),
    );
  }
  return records;
}
