// The hand-in worker when the server runs from its TypeScript sources (tests, `npm run server`):
// loads worker.ts through tsx. The built server has its own hand-in-worker.mjs, bundled from it.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
