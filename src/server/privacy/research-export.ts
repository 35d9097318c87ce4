import { createHmac, createSecretKey, randomBytes } from 'node:crypto';

import type { Kysely } from 'kysely';

import { answerValueSchema, type AnswerValue } from '../../common/answers';
import { examContentSchema, type Question } from '../../common/content';
import { parseNumericAnswer } from '../../common/numeric';
import { toCsv } from '../csv';
import type { Database } from '../db/schema';

import { DATA_MAP, type ColumnUse } from './data-map';

/** Groups smaller than this are suppressed (k-anonymity), unless the caller asks for more. */
export const DEFAULT_K = 5;

/**
 * The export's columns and the schema column each comes from: a test holds every source to the
 * data map's research treatment (never `drop`), so nothing leaves that the map does not allow.
 */
export const RESEARCH_SOURCES = {
  exam: 'exams.code',
  pseudonym: 'candidates.id',
  accommodation: 'candidates.extra_minutes',
  platform: 'journals.platform',
  item: 'answers.question_id',
  response: 'answers.value',
} as const;

type Person = { id: string; extra_minutes: number; platform: string | null };

/**
 * Every exported attribute that is not the answer or the pseudonym: each could single a person
 * out, alone or with the others, so k is checked over their combination. The header is built
 * from this list: an attribute added to the export is a quasi-identifier by construction.
 */
const QUASI_IDENTIFIERS = [
  { column: 'accommodation', value: (p: Person) => (p.extra_minutes > 0 ? 'yes' : 'no') },
  { column: 'platform', value: (p: Person) => p.platform ?? '' },
] as const;
type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

/**
 * The largest set of quasi-identifiers (earlier ones first on a tie) under which every group of
 * people sharing their values has at least k members: the others are suppressed for everyone.
 */
function shownAttributes(people: Person[], k: number, linkable: boolean): QuasiIdentifier[] {
  const subsets = Array.from({ length: 2 ** QUASI_IDENTIFIERS.length }, (_, mask) =>
    QUASI_IDENTIFIERS.filter((_, i) => (mask & (1 << (QUASI_IDENTIFIERS.length - 1 - i))) === 0),
  ).sort((a, b) => b.length - a.length);
  for (const shown of subsets) {
    const sizes = new Map<string, number>();
    for (const person of people) {
      const key = JSON.stringify(shown.map((q) => q.value(person)));
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    if ([...sizes.values()].every((size) => size >= k)) return shown;
    // Exports that can be linked (a longitudinal key) show all or nothing: platform in one and
    // accommodation in another would give the combination back when joined on the pseudonym.
    if (linkable) return [];
  }
  return [];
}

export interface ResearchOptions {
  /** Groups (the exam's submitted candidates; any group sharing the exported attributes) below k are suppressed. */
  k: number;
  /**
   * A documented longitudinal key (≥ 32 bytes) links exports to each other; without one, a key
   * made for this export alone and thrown away, so two exports cannot be linked.
   */
  longitudinalKey?: Buffer;
  /** Include free-text answers (short and long text); off by default. */
  freeText: boolean;
}

export interface ResearchExport {
  csv: string;
  rows: number;
  /** Why rows or cells were held back, in words. */
  suppressed: string[];
}

/**
 * Item-level results of one exam's submitted candidates without direct identifiers: one row
 * per candidate and item, the candidate as an HMAC pseudonym (never a plain hash of an
 * identifier), accommodation as yes/no, free text left out unless asked for, and a cohort or
 * accommodation group smaller than k suppressed.
 */
export async function researchExport(
  db: Kysely<Database>,
  examId: string,
  options: ResearchOptions,
): Promise<ResearchExport> {
  for (const source of Object.values(RESEARCH_SOURCES)) {
    const [table, column] = source.split('.') as [keyof Database, string];
    const use = (DATA_MAP[table] as Record<string, ColumnUse>)[column];
    if (!use || use.research === 'drop') throw new Error(`${source} may not be exported`);
  }
  const exam = await db
    .selectFrom('exams')
    .select(['code', 'content'])
    .where('id', '=', examId)
    .executeTakeFirstOrThrow();
  const content = examContentSchema.parse(JSON.parse(exam.content));
  const candidates = await db
    .selectFrom('candidates')
    .innerJoin('submissions', 'submissions.candidate_id', 'candidates.id')
    .innerJoin('journals', 'journals.id', 'submissions.journal_id')
    .select(['candidates.id', 'candidates.extra_minutes', 'journals.platform'])
    .where('candidates.exam_id', '=', examId)
    .execute();
  const unique = [...new Map(candidates.map((row) => [row.id, row])).values()];
  const suppressed: string[] = [];
  const header = [
    'exam',
    'pseudonym',
    ...QUASI_IDENTIFIERS.map((q) => q.column),
    'item',
    'response',
  ];
  if (unique.length < options.k) {
    suppressed.push(
      `the exam has ${unique.length} submitted candidates, fewer than k = ${options.k}`,
    );
    return { csv: toCsv([header]), rows: 0, suppressed };
  }
  const shown = shownAttributes(unique, options.k, options.longitudinalKey !== undefined);
  const hidden = QUASI_IDENTIFIERS.filter((q) => !shown.includes(q)).map((q) => q.column);
  if (hidden.length > 0)
    suppressed.push(`${hidden.join(', ')}: a group is smaller than k = ${options.k}`);
  const cell = (q: QuasiIdentifier, person: Person) =>
    shown.includes(q) ? q.value(person) : 'suppressed';

  // A KeyObject once: createHmac prepares one from a Buffer on every call (9.4 µs, not 2).
  const key = createSecretKey(options.longitudinalKey ?? randomBytes(32));
  const pseudonym = (id: string) => createHmac('sha256', key).update(id).digest('hex').slice(0, 20);
  const answers = await db
    .selectFrom('answers')
    .select(['candidate_id', 'question_id', 'value'])
    .where(
      'candidate_id',
      'in',
      unique.map((row) => row.id),
    )
    .execute();
  const byCandidate = new Map<string, Map<string, AnswerValue>>();
  for (const row of answers) {
    const values = byCandidate.get(row.candidate_id) ?? new Map<string, AnswerValue>();
    values.set(row.question_id, answerValueSchema.parse(JSON.parse(row.value)));
    byCandidate.set(row.candidate_id, values);
  }
  // Rows in pseudonym order, so the roster's order gives nothing away.
  const people = unique
    .map((row) => ({ ...row, pseudonym: pseudonym(row.id) }))
    .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1));
  const rows: string[][] = [header];
  for (const person of people) {
    const attributes = QUASI_IDENTIFIERS.map((q) => cell(q, person));
    for (const question of content.questions) {
      const value = byCandidate.get(person.id)?.get(question.id);
      rows.push([
        exam.code,
        person.pseudonym,
        ...attributes,
        question.id,
        response(value, question, options.freeText),
      ]);
    }
  }
  return { csv: toCsv(rows), rows: rows.length - 1, suppressed };
}

/** More digits than this is an identifier (a phone or national identity number), not a result. */
const MAX_NUMBER_DIGITS = 7;

/**
 * A numeric answer as a number, or null when it is none or may identify someone: text (a name
 * typed into the field), outside the question's range, or more than seven digits long (a
 * fødselsnummer is eleven, a phone number eight).
 */
function exportedNumber(text: string, question: Question): string | null {
  const number = parseNumericAnswer(text);
  if (number === null || question.type !== 'numeric') return null;
  if (question.min !== undefined && number < question.min) return null;
  if (question.max !== undefined && number > question.max) return null;
  if (text.replace(/\D/g, '').length > MAX_NUMBER_DIGITS) return null;
  return String(number);
}

/**
 * An answer as a cell: choices by option id, numbers normalised (`exportedNumber`), free text
 * only if asked — a "number" that is not one is free text.
 */
function response(value: AnswerValue | undefined, question: Question, freeText: boolean): string {
  if (!value) return '';
  switch (value.type) {
    case 'single-choice':
      return value.optionId ?? '';
    case 'multiple-choice':
      return value.optionIds.join('|');
    case 'numeric':
      if (freeText) return value.text;
      return exportedNumber(value.text, question) ?? withheld(value.text);
    case 'short-text':
    case 'long-text':
      return freeText ? value.text : withheld(value.text);
  }
}

const withheld = (text: string) => (text.trim() === '' ? '' : '(text withheld)');
