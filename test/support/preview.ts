import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { expect } from 'vitest';

import { startPreview, type PreviewOptions } from '../../src/preview/preview-client';
import { seedDemo } from '../../src/server/exams/demo';
import { findExamByCode } from '../../src/server/repositories/exams';

import { axeViolations } from './axe';
import { listeningServer, type ListeningServer } from './client-session';

const root = new URL('../..', import.meta.url).pathname;
/** Where candidate screenshots go, for people to look at (CI keeps them). */
export const CANDIDATE_SCREENS = join(root, 'test-results/screens');

/** A server on loopback with the demo exam (DEMO-1, candidate 1001 / demo) loaded. */
export async function demoServer(): Promise<ListeningServer & { demoExamId: string }> {
  const server = await listeningServer('sqlite');
  await seedDemo(server.db.storage.db, server.clock.now);
  const exam = await findExamByCode(server.db.storage.db, 'DEMO-1');
  return Object.assign(server, { demoExamId: exam!.id });
}

/**
 * The candidate UI preview (the built renderer, real client services, no monitors) against
 * `server`, in a temporary data folder that `close` removes.
 */
export async function previewFor(
  server: ListeningServer,
  options: Partial<PreviewOptions> = {},
): Promise<Awaited<ReturnType<typeof startPreview>> & { dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vakt-preview-'));
  const preview = await startPreview({
    serverUrl: server.url,
    serverPublicKey: server.keys.signing.publicKey,
    dataDir,
    rendererDir: join(root, 'out/renderer'),
    clientVersion: '1.2.0',
    monitor: false,
    ...options,
  });
  return {
    ...preview,
    dataDir,
    close: async () => {
      await preview.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The invigilator locks or unlocks one candidate through the staff API (`cookie`: signed in). */
export async function instruct(
  server: ListeningServer,
  cookie: string,
  ids: { examId: string; candidateId: string },
  kind: 'lock' | 'unlock' | 'pause' | 'resume',
  reason?: string,
): Promise<void> {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/v1/staff/exams/${ids.examId}/candidates/${ids.candidateId}/instructions`,
    headers: { cookie },
    payload: reason === undefined ? { kind } : { kind, reason },
  });
  if (response.statusCode !== 200)
    throw new Error(`${kind} failed: ${response.statusCode} ${response.body}`);
}

/** Signs in on the preview's sign-in screen, as a candidate types it. */
export async function signInOn(
  page: Page,
  examCode: string,
  candidateNumber: string,
  personalCode: string,
): Promise<void> {
  await page.locator('#examCode').fill(examCode);
  await page.locator('#candidateNumber').fill(candidateNumber);
  await page.locator('#personalCode').fill(personalCode);
  await page.locator('form button[type=submit]').click();
}

/**
 * Waits until the shown save status is `status` ('saved-locally', 'received-by-server'). The
 * status line, not its screen-reader twin, which repeats the words once they have held 2 s.
 */
export async function saveStatusIs(page: Page, status: string, timeout?: number): Promise<void> {
  await page.locator(`.save-status.${status}`).waitFor({ timeout });
}

/** A screenshot of the candidate's screen as `name`, and no accessibility violations on it. */
export async function candidateScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(CANDIDATE_SCREENS, `${name}.png`), fullPage: true });
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
}
