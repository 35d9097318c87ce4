import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

import type { AnswerValue } from '../../src/common/answers';
import { answersHash } from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import type { Platform } from '../../src/common/platform';
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

  async function handIn(
    examCode: string,
    number: string,
    code: string,
    text: string,
    platform: Platform = 'linux',
  ) {
    await handInAnswers(examCode, number, code, platform, {
      q1: { type: 'single-choice', optionId: 'b' },
      q2: { type: 'short-text', text },
    });
  }

  async function handInAnswers(
    examCode: string,
    number: string,
    code: string,
    platform: Platform,
    answers: Record<string, AnswerValue>,
  ) {
    const client = new ExamClient(suite.server.app, {
      examCode,
      candidateNumber: number,
      personalCode: code,
    });
    client.platform = platform;
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
    for (const [questionId, value] of Object.entries(answers))
      client.append('answer.saved', { questionId, value });
    const headSeq = Object.keys(answers).length + 1;
    client.append('submission.sealed', { answersHash: answersHash(answers), headSeq });
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
    // The one candidate with extra time is also the one on Windows among five on Linux.
    for (const [number, name, code] of ROSTER)
      await handIn('TEST-1', number, code, `I am ${name}`, number === '1006' ? 'windows' : 'linux');
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
    // One candidate has extra time and is the only one on Windows: a group of 1 < k by either
    // attribute, so both are suppressed for everyone.
    expect(new Set(rows.map((row) => row.accommodation))).toEqual(new Set(['suppressed']));
    expect(new Set(rows.map((row) => row.platform))).toEqual(new Set(['suppressed']));
    expect(first.suppressed).toEqual(['accommodation, platform: a group is smaller than k = 5']);

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

  it('checks k over every exported attribute, and withholds a "number" that is text', async () => {
    const { db } = suite.db.storage;
    const parsed = parseExamFile({
      ...TEST_EXAM,
      code: 'NUM-1',
      content: {
        title: 'Numbers',
        questions: [{ id: 'n1', type: 'numeric', prompt: 'How many?' }],
      },
    });
    if (!parsed.ok) throw new Error('bad fixture');
    const exam = await insertExam(db, parsed.value, 0);
    const sit = async (number: string, platform: Platform, text: string) => {
      await insertCandidate(db, exam.id, {
        candidateNumber: number,
        name: 'N',
        personalCode: `c-${number}`,
      });
      await handInAnswers('NUM-1', number, `c-${number}`, platform, {
        n1: { type: 'numeric', text },
      });
    };
    // Five on Linux and one on Windows, no one with extra time.
    for (const number of ['2001', '2002', '2003', '2004']) await sit(number, 'linux', '42');
    // A fødselsnummer parses as a number, but eleven digits identify a person.
    await sit('2005', 'linux', '01019912345');
    await sit('2006', 'windows', 'Per Persen');
    const rowsOfExport = async () => {
      const exported = await researchExport(db, exam.id, { k: 5, freeText: false });
      return { exported, rows: rowsOf(exported.csv) };
    };
    const five = await rowsOfExport();
    expect(new Set(five.rows.map((row) => row.platform))).toEqual(new Set(['suppressed']));
    expect(new Set(five.rows.map((row) => row.accommodation))).toEqual(new Set(['no']));
    expect(five.exported.suppressed).toEqual(['platform: a group is smaller than k = 5']);
    // A name typed into a numeric answer is free text: withheld, as the identity number is.
    expect(five.rows.map((row) => row.response).sort()).toEqual([
      '(text withheld)',
      '(text withheld)',
      ...Array(4).fill('42'),
    ]);
    expect(five.exported.csv).not.toContain('Per');
    expect(five.exported.csv).not.toContain('1019912345');
    // Exports linked by a longitudinal key show every attribute or none: joined on the
    // pseudonym, platform from one and accommodation from another would rebuild the pair.
    const linked = await researchExport(db, exam.id, {
      k: 5,
      freeText: false,
      longitudinalKey: Buffer.alloc(32, 1),
    });
    expect(new Set(rowsOf(linked.csv).map((row) => row.accommodation))).toEqual(
      new Set(['suppressed']),
    );

    // Five on each: every group is k strong, and the platform is shown.
    for (const number of ['2007', '2008', '2009', '2010']) await sit(number, 'windows', '7,5');
    const ten = await rowsOfExport();
    expect(ten.exported.suppressed).toEqual([]);
    expect(ten.rows.filter((row) => row.platform === 'windows')).toHaveLength(5);
    // Numbers are exported normalised: a decimal comma as a point.
    expect(ten.rows.filter((row) => row.response === '7.5')).toHaveLength(4);
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
