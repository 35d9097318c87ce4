import { readFile, writeFile } from 'node:fs/promises';

import { DATA_MAP_END, DATA_MAP_START, renderDataMap } from '../src/server/privacy/data-map-doc';

/** Writes the data map's table into docs/privacy.md between its markers. */
const path = new URL('../docs/privacy.md', import.meta.url);
const text = await readFile(path, 'utf8');
const start = text.indexOf(DATA_MAP_START);
const end = text.indexOf(DATA_MAP_END);
if (start < 0 || end < start) {
  console.error(`docs/privacy.md lacks the markers ${DATA_MAP_START} … ${DATA_MAP_END}`);
  process.exit(1);
}
const table = `${DATA_MAP_START}\n\n${renderDataMap()}\n\n`;
await writeFile(path, text.slice(0, start) + table + text.slice(end));
console.log('docs/privacy.md: data map updated');
