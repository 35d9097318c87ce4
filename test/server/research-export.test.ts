import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

import type { AnswerValue } from '../../src/common/answers';
import { answersHash } from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import { DATA_MAP, type ColumnUse } from '../../src/server/privacy/data-map';
import { RESEARCH_SOURCES, researchExport } from '../../src/server/privacy/research-export';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite, TEST_EXAM } from '../support/server';

const ROSTER = [
  ['1001', 'Kari', 'secret-1'],
  ['1002', 'Ola', 'secret-2'],
  ['1003', 'Per Persen', 'secret-3'],
  ['1004', 'Siri Sirisen', 'secret-4'],
  ['1005', 'Tor Torsen', 'secret-5'],
  ['1006', 'Una Unasen', 'secret-6'],
] as const;

describe('the research export’s columns', () => {
  it('come only from columns the data map lets research have', () => {
    for (const source of Object.values(RESEARCH_SOURCES)) {
      const [table, column] = source.split('.') as [keyof typeof DATA_MAP, string];
      const use = (DATA_MAP[table] as Record<string, ColumnUse>)[column];
      expect({ source, research: use?.research }).not.toEqual({ source, research: 'drop' });
      expect(use).toBeDefined();
    }
  });
});

/** Pseudonymised item-level results: no identifiers, unlinkable exports, small groups hidden. */
describe.each(DIALECTS)('research export on %s', (dialect) => {
  const suite = serverSuite(dialect);

  async function handIn(examCode: string, number: string, code: string, text: string) {
    const client = new ExamClient(suite.server.app, {
      examCode,
      candidateNumber: number,
      personalCode: code,
    });
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
    const answers: Record<string, AnswerValue> = {
      q1: { type: 'single-choice', optionId: 'b' },
      q2: { type: 'short-text', text },
    };
    client.append('answer.saved', { questionId: 'q1', value: answers.q1! });
    client.append('answer.saved', { questionId: 'q2', value: answers.q2! });
    client.append('submission.sealed', { answersHash: answersHash(answers), headSeq: 3 });
    expect((await client.upload(client.records)).statusCode).toBe(200);
  }

  async function sitting() {
    const { db } = suite.db.storage;
    const examId = suite.server.exam.id;
    for (const [number, name, code] of ROSTER.slice(2))
      await insertCandidate(db, examId, {
        candidateNumber: number,
        name,
        personalCode: code,
        ...(number === '1006' ? { extraMinutes: 15 } : {}),
      });
    for (const [number, name, code] of ROSTER) await handIn('TEST-1', number, code, `I am ${name}`);
  }

  const rowsOf = (csv: string) => parse<Record<string, string>>(csv, { columns: true, bom: true });

  it('holds responses by pseudonym only, and two exports cannot be linked', async () => {
    await sitting();
    const { db } = suite.db.storage;
    const first = await researchExport(db, suite.server.exam.id, { k: 5, freeText: false });
    const second = await researchExport(db, suite.server.exam.id, { k: 5, freeText: false });
    const rows = rowsOf(first.csv);
    expect(first.rows).toBe(12); // 6 candidates × 2 items
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(RESEARCH_SOURCES));
    expect(rows.filter((row) => row.item === 'q1').map((row) => row.response)).toEqual(
      Array(6).fill('b'),
    );
    // Free text is withheld; names, numbers and ids appear nowhere.
    expect(rows.filter((row) => row.item === 'q2').map((row) => row.response)).toEqual(
      Array(6).fill('(text withheld)'),
    );
    const ids = (await db.selectFrom('candidates').select('id').execute()).map(({ id }) => id);
    // As a value of its own anywhere in the file (a random hex pseudonym may hold "1006").
    const cells = new Set(first.csv.split(/[\n,]/).map((cell) => cell.replaceAll('"', '')));
    for (const needle of [
      ...ROSTER.flatMap(([number, name]) => [number, name]),
      ...ids,
      '127.0.0.1',
    ])
      expect(cells.has(needle), needle).toBe(false);
    for (const [, name] of ROSTER) expect(first.csv).not.toContain(name);
    // One candidate has extra time: that group of 1 < k is suppressed.
    expect(new Set(rows.map((row) => row.accommodation))).toEqual(new Set(['suppressed']));
    expect(first.suppressed).toEqual(['accommodation: a group is smaller than k = 5']);

    const pseudonyms = (csv: string) => new Set(rowsOf(csv).map((row) => row.pseudonym));
    expect(pseudonyms(first.csv).size).toBe(6);
    const overlap = [...pseudonyms(first.csv)].filter((p) => pseudonyms(second.csv).has(p));
    expect(overlap).toEqual([]);

    // A documented longitudinal key links exports on purpose.
    const key = Buffer.alloc(32, 7);
    const a = await researchExport(db, suite.server.exam.id, {
      k: 5,
      freeText: true,
      longitudinalKey: key,
    });
    const b = await researchExport(db, suite.server.exam.id, {
      k: 5,
      freeText: false,
      longitudinalKey: key,
    });
    expect(pseudonyms(a.csv)).toEqual(pseudonyms(b.csv));
    expect(a.csv).toContain('I am Kari'); // asked for: free text included
  });

  it('suppresses a class smaller than k', async () => {
    const { db } = suite.db.storage;
    const parsed = parseExamFile({ ...TEST_EXAM, code: 'SMALL-1' });
    if (!parsed.ok) throw new Error('bad fixture');
    const small = await insertExam(db, parsed.value, 0);
    for (const [number, name, code] of ROSTER.slice(0, 3)) {
      await insertCandidate(db, small.id, { candidateNumber: number, name, personalCode: code });
      await handIn('SMALL-1', number, code, 'x');
    }
    const exported = await researchExport(db, small.id, { k: 5, freeText: false });
    expect(exported.rows).toBe(0);
    expect(exported.suppressed).toEqual(['the exam has 3 submitted candidates, fewer than k = 5']);
    expect(rowsOf(exported.csv)).toEqual([]);
  });
});
