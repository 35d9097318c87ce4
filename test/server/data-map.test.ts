import { readFile } from 'node:fs/promises';

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { mappedColumns } from '../../src/server/privacy/data-map';
import { DATA_MAP_END, DATA_MAP_START, renderDataMap } from '../../src/server/privacy/data-map-doc';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';

/** Every column of the live schema, after every migration, as `table.column`. */
async function liveColumns({ storage }: TestStorage): Promise<string[]> {
  if (storage.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; column: string }>`
      select m.name as name, p.name as "column"
      from sqlite_master m join pragma_table_info(m.name) p
      where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'kysely_%'`.execute(
      storage.db,
    );
    return rows.map((row) => `${row.name}.${row.column}`);
  }
  const { rows } = await sql<{ name: string; column: string }>`
    select table_name as name, column_name as "column" from information_schema.columns
    where table_schema = ${storage.schema} and table_name not like 'kysely_%'`.execute(storage.db);
  return rows.map((row) => `${row.name}.${row.column}`);
}

describe.each(DIALECTS)('the data map against the %s schema', (dialect) => {
  let db: TestStorage;
  beforeEach(async () => {
    db = await freshStorage(dialect);
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it('classifies every column the database has, and names none it lacks', async () => {
    const live = (await liveColumns(db)).sort();
    const mapped = mappedColumns().sort();
    expect(live.filter((column) => !mapped.includes(column))).toEqual([]);
    expect(mapped.filter((column) => !live.includes(column))).toEqual([]);
  });
});

/** A Markdown table's rows as trimmed cells, separator rows left out (Prettier pads cells). */
function cells(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

describe('docs/privacy.md', () => {
  it('carries the data map as it is in the code', async () => {
    const text = await readFile(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
    const start = text.indexOf(DATA_MAP_START);
    const end = text.indexOf(DATA_MAP_END);
    expect(start, 'the data map markers').toBeGreaterThan(0);
    expect(cells(text.slice(start, end))).toEqual(cells(renderDataMap()));
  });
});
