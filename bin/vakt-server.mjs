#!/usr/bin/env node
/* global URL, console, process */
// The exam server's command line: the built server (npm run build, dist/server/).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/server/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  console.error('The server is not built yet: run "npm run build" (it writes dist/server/).');
  process.exit(1);
}
await import(cli.href);
