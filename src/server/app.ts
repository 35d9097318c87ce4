import Fastify, { type FastifyInstance } from 'fastify';

import type { ExamFile } from '../common/exam-file';

export interface AppOptions {
  exams: readonly ExamFile[];
  logger?: boolean;
}

/**
 * Builds the exam server without listening, so tests can call `inject` or listen on a
 * loopback port. Storage and the candidate API arrive with the exam-server issues.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });

  app.get('/api/health', () => ({
    status: 'ok',
    exams: options.exams.map((exam) => ({ code: exam.code, title: exam.content.title })),
  }));

  await app.ready();
  return app;
}
