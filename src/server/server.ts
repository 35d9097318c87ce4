import { fileURLToPath } from 'node:url';

import { buildApp } from './app';
import { ConfigError, loadServerConfig } from './config';
import { ExamFileError, loadExamFile } from './exams';

/** Starts the exam server: listens, and on SIGINT/SIGTERM drains requests and closes. */
async function main(): Promise<void> {
  const config = loadServerConfig();
  const demoPath = fileURLToPath(new URL('../../assets/exams/demo.json', import.meta.url));
  const exams = [await loadExamFile(demoPath)];
  const app = await buildApp({ exams, logger: process.env.VAKT_LOG === '1' });

  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`Vakt exam server listening on ${address}`);
  console.log(`  public URL:  ${config.publicUrl}`);
  console.log(`  health:      ${address}/api/health`);
  console.log(`  data folder: ${config.dataDir}`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal} received: finishing open requests, then stopping`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ExamFileError) {
    console.error(`Vakt server cannot start: ${error.message}`);
  } else {
    console.error('Vakt server stopped on an unexpected error:', error);
  }
  process.exit(1);
});
