import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { buildApp } from './app';
import { loadExamFile } from './exams';

describe('exam server app', () => {
  it('reports health and the loaded exams', async () => {
    const exam = await loadExamFile(
      fileURLToPath(new URL('../../assets/exams/demo.json', import.meta.url)),
    );
    const app = await buildApp({ exams: [exam] });
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      exams: [{ code: 'DEMO-1', title: 'Vakt demo exam' }],
    });
    const missing = await app.inject({ method: 'GET', url: '/api/nothing' });
    expect(missing.statusCode).toBe(404);
    await app.close();
  });
});
