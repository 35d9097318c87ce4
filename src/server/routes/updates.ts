import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';

import type { ServerContext } from '../context';
import { HttpError } from '../errors';

/**
 * What electron-updater's generic provider asks for (the channel file, installers, blockmaps),
 * and the detached signatures Vakt checks when IT pins a release key (`.sig`).
 */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,200}$/;
/** Only files of these kinds are served, whatever else lies in the folder. */
const UPDATE_TYPES = new Set([
  '.yml',
  '.blockmap',
  '.exe',
  '.msi',
  '.dmg',
  '.zip',
  '.pkg',
  '.appimage',
  '.deb',
  '.sig',
]);

const FRESH = new Set(['.yml', '.sig']);

const TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.json': 'application/json',
};

/**
 * The client update feed, so schools need no other host: the files electron-builder publishes
 * for the generic provider (latest.yml, latest-mac.yml, latest-linux.yml, the installers and
 * their blockmaps), copied by IT into VAKT_UPDATES_DIR. One folder, no sub-folders, no links
 * out of it; a file that is not there is a 404.
 */
export function updateRoutes(context: ServerContext): FastifyPluginAsync {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify wants a plugin promise
  return async (app) => {
    const dir = context.updatesDir;
    app.get(
      '/updates/:file',
      { schema: { hide: true, params: z.strictObject({ file: z.string().max(220) }) } },
      async (request, reply) => {
        const { file } = request.params as { file: string };
        const notFound = new HttpError(404, 'not-found', `No update file "${file}".`);
        if (!dir || !FILE_NAME.test(file) || file.includes('..')) throw notFound;
        if (!UPDATE_TYPES.has(extname(file).toLowerCase())) throw notFound;
        let path: string;
        try {
          path = await realpath(join(dir, file));
          const root = await realpath(dir);
          if (!path.startsWith(root + sep) || !(await stat(path)).isFile()) throw notFound;
        } catch {
          throw notFound;
        }
        const size = (await stat(path)).size;
        return (
          reply
            .header(
              'content-type',
              TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
            )
            .header('content-length', size)
            // The channel file and the signatures change in place: never from a cache.
            .header('cache-control', FRESH.has(extname(file)) ? 'no-cache' : 'public, max-age=3600')
            .send(createReadStream(path))
        );
      },
    );
  };
}
