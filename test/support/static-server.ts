import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { resolveAppUrl } from '../../src/main/app-protocol';

/**
 * Serves a built renderer folder on loopback the way the app:// handler does (same path
 * resolution, same content types), so real Chromium can load it without Electron.
 */
export async function serveFolder(
  root: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const file = resolveAppUrl(root, `app://vakt${request.url ?? '/'}`);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    readFile(file.path).then(
      (body) => response.writeHead(200, { 'content-type': file.type }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
