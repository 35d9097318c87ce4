import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { IPC_CHANNELS, type IpcMethod, type PushEvent } from '../common/ipc';
import { resolveAppUrl } from '../main/app-protocol';
import { dispatcherFor, type IpcHandlers } from '../main/ipc-dispatch';
import type { Logger } from '../main/logger';

const BRIDGE = new URL('./bridge.js', import.meta.url);
const METHODS_SLOT = '[/* IPC_METHODS */]';

/** bridge.js with the IPC table's method names in place of its slot. */
export async function bridgeScript(): Promise<string> {
  const text = await readFile(BRIDGE, 'utf8');
  if (!text.includes(METHODS_SLOT)) throw new Error(`bridge.js has no ${METHODS_SLOT}`);
  return text.replace(METHODS_SLOT, JSON.stringify(Object.keys(IPC_CHANNELS)));
}
const MAX_BODY = 1024 * 1024;

export interface PreviewServer {
  /** The address to open, with the per-run token in its fragment. */
  url: string;
  push(event: PushEvent): void;
  close(): Promise<void>;
}

/**
 * Serves the built candidate UI to a normal browser, on loopback only, with window.vakt
 * forwarded to `handlers` — the same handlers, checks and schemas the Electron IPC uses. Every
 * call needs the random token of this run, and the Host must be this server (no DNS
 * rebinding). Not locked down, and it says so on every screen.
 */
export async function startPreviewServer(options: {
  rendererDir: string;
  handlers: IpcHandlers;
  logger: Logger;
  port?: number;
}): Promise<PreviewServer> {
  const token = randomBytes(24).toString('hex');
  const streams = new Set<ServerResponse>();
  const dispatchers = new Map(
    (Object.keys(IPC_CHANNELS) as IpcMethod[]).map((method) => [
      method,
      dispatcherFor(method, options.handlers, (name, error) =>
        options.logger.warn(`preview call ${name} failed`, error),
      ),
    ]),
  );
  let origin = '';

  const tokenOk = (given: string | null | undefined) =>
    typeof given === 'string' &&
    given.length === token.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(token));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (request.headers.host !== new URL(origin).host) {
      response.writeHead(421).end('Wrong host.');
      return;
    }
    if (url.pathname.startsWith('/__vakt/call/') && request.method === 'POST') {
      const method = url.pathname.slice('/__vakt/call/'.length) as IpcMethod;
      const dispatch = dispatchers.get(method);
      const sameOrigin = request.headers.origin === origin;
      if (!dispatch || !sameOrigin || !tokenOk(request.headers['x-vakt-preview-token'] as string)) {
        response.writeHead(403, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: false, error: { code: 'forbidden', params: {} } }));
        return;
      }
      let request_: unknown;
      try {
        request_ = JSON.parse((await readBody(request)) || '{}');
      } catch {
        request_ = null; // the schema check says what is wrong
      }
      const result = await dispatch('app://vakt/', request_);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      return;
    }
    if (url.pathname === '/__vakt/events') {
      if (!tokenOk(url.searchParams.get('token'))) {
        response.writeHead(403).end();
        return;
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (url.pathname === '/__vakt/bridge.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(await bridgeScript());
      return;
    }
    const file = resolveAppUrl(options.rendererDir, `app://vakt${url.pathname}`);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file.path);
    } catch {
      response.writeHead(404).end();
      return;
    }
    if (file.path.endsWith('index.html')) body = Buffer.from(previewPage(body.toString('utf8')));
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.warn('preview request failed', error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    push(event) {
      const line = `data: ${JSON.stringify(event)}\n\n`;
      for (const stream of streams) stream.write(line);
    },
    close: () =>
      new Promise((resolve) => {
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The app's page with the bridge before the bundle, and fetch allowed to this origin only. */
function previewPage(html: string): string {
  return html
    .replace("connect-src 'none'", "connect-src 'self'")
    .replace(
      '<script type="module"',
      '<script src="/__vakt/bridge.js"></script>\n    <script type="module"',
    );
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
