import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Builds the client once before any test runs, so tests that read `out/` (the pack test, the
 * browser tests) see one finished build instead of racing to rebuild it.
 */
export default async function setup(): Promise<void> {
  const root = new URL('../..', import.meta.url).pathname;
  console.log('global setup: npm run build');
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: root });
}
