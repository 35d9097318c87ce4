import { createHash } from 'node:crypto';

import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Statements with more parameters than this (bulk inserts) are parsed each time. */
const MAX_PREPARED_PARAMETERS = 64;

/**
 * A pg pool for Kysely whose queries are named prepared statements, so each connection parses
 * and plans a statement once instead of on every request: PostgreSQL spent about half its CPU
 * on that under load. Only DML with at most MAX_PREPARED_PARAMETERS parameters is named, which
 * keeps the number of statements per connection small (a bulk insert's text changes with its
 * row count). A plan kept over a schema change fails once ("cached plan must not change result
 * type", 0A000); that failure starts a new generation of names, so the next try is prepared
 * afresh. Migrations therefore run on a pool of their own (server.ts).
 */
export function preparedPool(pool: pg.Pool): PostgresPool {
  let generation = 0;
  const nameFor = (sql: string) =>
    `vakt_${generation}_${createHash('sha1').update(sql).digest('hex')}`;
  return {
    options: pool.options,
    end: () => pool.end(),
    connect: async (): Promise<PostgresPoolClient> => {
      const client = await pool.connect();
      const query = async (sql: string, parameters: readonly unknown[]) => {
        if (!preparable(sql, parameters)) return client.query(sql, [...parameters]);
        try {
          return await client.query({ name: nameFor(sql), text: sql, values: [...parameters] });
        } catch (error) {
          if (isStalePlan(error)) generation += 1;
          throw error;
        }
      };
      return {
        release: (destroy?: boolean) => client.release(destroy),
        // Kysely passes SQL and parameters; a cursor (streaming) goes through unchanged.
        query: ((sql: unknown, parameters?: readonly unknown[]) =>
          typeof sql === 'string'
            ? query(sql, parameters ?? [])
            : client.query(sql as pg.Submittable)) as unknown as PostgresPoolClient['query'],
      };
    },
  };
}

function preparable(sql: string, parameters: readonly unknown[]): boolean {
  return (
    parameters.length <= MAX_PREPARED_PARAMETERS &&
    /^\s*(select|insert|update|delete|with)\b/i.test(sql)
  );
}

/** PostgreSQL's answer to a kept plan whose result columns changed under it. */
export function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan');
}
