import { performance } from 'node:perf_hooks';

import { canonicalJson } from '../src/common/canonical-json';
import { chainRecord, findChainBreak, type JournalRecord } from '../src/common/journal-record';

import { quantile, report } from './report';

/**
 * The shared contracts' hot path: canonicalising and hashing journal records (every append
 * and every verified upload does this). Figures: records chained per second, verification
 * rate, and the per-record latency of chaining an answer of typical size.
 */
const COUNT = 20_000;
const essay = 'Lorem ipsum dolor sit amet. '.repeat(40); // ~1 KB answer, a typical long-text save

const records: JournalRecord[] = [];
const latencies: number[] = [];
let previous: JournalRecord | null = null;
const started = performance.now();
for (let i = 0; i < COUNT; i += 1) {
  const t0 = performance.now();
  previous = chainRecord(previous, {
    kind: 'answer.saved',
    at: 1_767_225_600_000 + i * 500,
    mono: i * 500,
    payload: { questionId: `q${i % 20}`, value: { type: 'long-text', text: essay } },
  });
  latencies.push((performance.now() - t0) * 1000);
  records.push(previous);
}
const chainSeconds = (performance.now() - started) / 1000;
report('chain', 'chain-records-per-second', COUNT / chainSeconds, 'records/s');
report('chain', 'chain-latency-p50', quantile(latencies, 0.5), 'µs');
report('chain', 'chain-latency-p99', quantile(latencies, 0.99), 'µs');

const verifyStart = performance.now();
if (findChainBreak(records) !== null) throw new Error('benchmark chain does not verify');
report(
  'chain',
  'verify-records-per-second',
  COUNT / ((performance.now() - verifyStart) / 1000),
  'records/s',
);

const sample = { a: [1, 2.5, 'x'], b: { c: true, d: null }, e: essay };
const canonStart = performance.now();
for (let i = 0; i < COUNT; i += 1) canonicalJson(sample);
report(
  'chain',
  'canonical-json-per-second',
  COUNT / ((performance.now() - canonStart) / 1000),
  'objects/s',
);
