import { examPolicySchema } from '../../src/common/policy';
import { ProgramClassifier } from '../../src/main/monitor/catalogue';
import { builtInCatalogue } from '../../src/main/monitor/catalogue-data';
import { ProcSource } from '../../src/main/monitor/proc-source';
import { ProcessMonitor, type ProcessEvent } from '../../src/main/monitor/process-monitor';
import { terminate } from '../../src/main/monitor/terminate';
import { systemTimers } from '../../src/main/timers';

/**
 * One poll of the process monitor as whoever runs this (a test runs it as `nobody` through
 * runuser), with the policy given as JSON in argv[2]; prints the events as one JSON line.
 */
const policy = examPolicySchema.parse(JSON.parse(process.argv[2] ?? '{}') as unknown);
const events: ProcessEvent[] = [];
const monitor = new ProcessMonitor({
  source: new ProcSource(),
  classifier: new ProgramClassifier(builtInCatalogue(), policy.processes, 'linux'),
  timers: systemTimers,
  intervalMs: 1_000,
  emit: (event) => events.push(event),
  terminate: (pids) => terminate(pids, { graceMs: 300 }),
});
await monitor.poll();
const started = events.filter(
  (event) => event.kind === 'process.started' && event.payload.action === 'terminate',
).length;
const deadline = Date.now() + 10_000;
while (events.filter((event) => event.kind === 'process.terminated').length < started) {
  if (Date.now() > deadline) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log(JSON.stringify({ uid: process.getuid?.(), events }));
