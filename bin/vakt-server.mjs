#!/usr/bin/env node
// The exam server's command line. It runs the TypeScript sources through tsx until the server
// gets a build of its own.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/cli/cli.ts');
