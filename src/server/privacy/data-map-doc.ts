import { DATA_MAP, type ColumnUse, type DataCategory } from './data-map';

const CATEGORY_WORDS: Record<DataCategory, string> = {
  identity: 'identity',
  credential: 'credential (hash)',
  answers: 'answers',
  'exam-log': 'exam log',
  device: 'device',
  oversight: 'oversight',
  staff: 'staff',
  audit: 'audit',
  'not-personal': '—',
};

/** The data map as the Markdown table in docs/privacy.md, one row per column. */
export function renderDataMap(): string {
  const lines = [
    '| Column | Holds | Why | Deleted | Seen by | Access export | Research | Downstream |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [table, columns] of Object.entries(DATA_MAP)) {
    for (const [column, use] of Object.entries<ColumnUse>(columns)) {
      const seenBy = use.seenBy.length > 0 ? use.seenBy.join(', ') : 'server only';
      lines.push(
        `| \`${table}.${column}\` | ${CATEGORY_WORDS[use.category]} | ${use.purpose} | ${use.retention} | ${seenBy} | ${use.subjectAccess ? 'yes' : 'no'} | ${use.research} | ${use.downstream ? 'yes' : 'no'} |`,
      );
    }
  }
  return lines.join('\n');
}

export const DATA_MAP_START = '<!-- data-map:start (npm run privacy:doc) -->';
export const DATA_MAP_END = '<!-- data-map:end -->';
