import { z } from 'zod';

import { examFileSchema, parseExamFile, type ExamFile } from '../../common/exam-file';
import { preferredLanguage } from '../../common/languages';
import type { Parsed } from '../../common/validation';
import { describeIssues } from '../../common/validation';

export type StaffLanguage = 'en' | 'nb' | 'nn';

/**
 * Vakt's own checks of an exam file in nb and nn (English is the schema's own words). Keyed by
 * the English message, or by `params.vakt` where the message names values.
 */
const OWN_WORDS: Record<string, { nb: string; nn: string }> = {
  'must be 3–32 upper-case letters, digits or "-"': {
    nb: 'må være 3–32 store bokstaver, sifre eller «-»',
    nn: 'må vere 3–32 store bokstavar, siffer eller «-»',
  },
  'must be an ISO 8601 date-time with a time zone': {
    nb: 'må være dato og klokkeslett etter ISO 8601, med tidssone',
    nn: 'må vere dato og klokkeslett etter ISO 8601, med tidssone',
  },
  'must be a version such as 1.2.0': {
    nb: 'må være en versjon som 1.2.0',
    nn: 'må vere ein versjon som 1.2.0',
  },
  'must be after opensAt': { nb: 'må være etter opensAt', nn: 'må vere etter opensAt' },
  'must not be empty': { nb: 'kan ikke være tom', nn: 'kan ikkje vere tom' },
  'must be at least 131072 (2^17)': {
    nb: 'må være minst 131072 (2^17)',
    nn: 'må vere minst 131072 (2^17)',
  },
  'must be a power of two': { nb: 'må være en potens av to', nn: 'må vere ein potens av to' },
  'needs at least 2 options': {
    nb: 'trenger minst 2 alternativer',
    nn: 'treng minst 2 alternativ',
  },
  'an exam needs at least one question': {
    nb: 'en eksamen trenger minst ett spørsmål',
    nn: 'ein eksamen treng minst eitt spørsmål',
  },
  'must be 1–64 letters, digits, "-" or "_"': {
    nb: 'må være 1–64 bokstaver, sifre, «-» eller «_»',
    nn: 'må vere 1–64 bokstavar, siffer, «-» eller «_»',
  },
  'contains a broken character (a lone UTF-16 surrogate); send well-formed Unicode text': {
    nb: 'inneholder et ødelagt tegn (et enslig UTF-16-surrogat); send gyldig Unicode-tekst',
    nn: 'inneheld eit øydelagt teikn (eit einsleg UTF-16-surrogat); send gyldig Unicode-tekst',
  },
  'contains a broken character (a lone UTF-16 surrogate) or a NUL; send well-formed Unicode text without NUL':
    {
      nb: 'inneholder et ødelagt tegn (et enslig UTF-16-surrogat) eller NUL; send gyldig Unicode-tekst uten NUL',
      nn: 'inneheld eit øydelagt teikn (eit einsleg UTF-16-surrogat) eller NUL; send gyldig Unicode-tekst utan NUL',
    },
  'must be 32–128 hex characters': {
    nb: 'må være 32–128 heksadesimale tegn',
    nn: 'må vere 32–128 heksadesimale teikn',
  },
  'must be 64 hex characters': {
    nb: 'må være 64 heksadesimale tegn',
    nn: 'må vere 64 heksadesimale teikn',
  },
  'option-twice': {
    nb: 'alternativ-id-en «{{id}}» er brukt to ganger i dette spørsmålet',
    nn: 'alternativ-ID-en «{{id}}» er brukt to gonger i dette spørsmålet',
  },
  'more-than-options': {
    nb: 'er {{max}}, men spørsmålet har bare {{options}} alternativer',
    nn: 'er {{max}}, men spørsmålet har berre {{options}} alternativ',
  },
  'min-over-max-selections': {
    nb: 'er {{min}}, mer enn maxSelections ({{max}})',
    nn: 'er {{min}}, meir enn maxSelections ({{max}})',
  },
  'min-over-max': {
    nb: 'er {{min}}, mer enn max ({{max}})',
    nn: 'er {{min}}, meir enn max ({{max}})',
  },
  'question-twice': {
    nb: 'spørsmåls-id-en «{{id}}» er brukt to ganger',
    nn: 'spørsmåls-ID-en «{{id}}» er brukt to gonger',
  },
};

/** zod's own messages in Norwegian (its maintained locales: `no` is bokmål), for the rest. */
const ZOD_LOCALES = { nb: z.locales.no, nn: z.locales.nn } as const;

/** The kinds of value an exam file holds, as a reader says them. */
const TYPE_NAMES: Record<string, { nb: string; nn: string }> = {
  string: { nb: 'tekst', nn: 'tekst' },
  number: { nb: 'et tall', nn: 'eit tal' },
  int: { nb: 'et heltall', nn: 'eit heiltal' },
  boolean: { nb: 'true eller false', nn: 'true eller false' },
  array: { nb: 'en liste', nn: 'ei liste' },
  object: { nb: 'et objekt', nn: 'eit objekt' },
};

/** What is missing or too much, as "{{n}} tegn" / "{{n}} element" by what was measured. */
const UNITS: Record<string, { nb: string; nn: string }> = {
  string: { nb: 'tegn', nn: 'teikn' },
  array: { nb: 'element', nn: 'element' },
};

/**
 * zod's most common checks in plain Norwegian: its own locale says "forventet string, fikk
 * undefined" and "For lite(n): forventet number til å ha >=1", type names in English.
 */
function commonCheck(issue: z.core.$ZodIssue, language: 'nb' | 'nn'): string | null {
  const nb = language === 'nb';
  if (issue.code === 'invalid_type') {
    const name = TYPE_NAMES[issue.expected]?.[language] ?? issue.expected;
    return nb ? `må være ${name}` : `må vere ${name}`;
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const small = issue.code === 'too_small';
    const limit = String(small ? issue.minimum : issue.maximum);
    const unit = UNITS[issue.origin]?.[language];
    const inclusive = issue.inclusive !== false;
    const most = nb ? 'høyst' : 'høgst';
    if (unit) return small ? `må ha minst ${limit} ${unit}` : `kan ha ${most} ${limit} ${unit}`;
    const be = nb ? 'må være' : 'må vere';
    if (small) return inclusive ? `${be} minst ${limit}` : `${be} over ${limit}`;
    return inclusive ? `${be} ${most} ${limit}` : `${be} under ${limit}`;
  }
  return null;
}

/**
 * The staff member's language from the dashboard's Accept-Language, as a browser's is read;
 * English for a caller that names none (the CLI, scripts).
 */
export function staffLanguage(acceptLanguage: string | undefined): StaffLanguage {
  if (!acceptLanguage) return 'en';
  return preferredLanguage(acceptLanguage.split(',').map((tag) => tag.split(';')[0]!.trim()));
}

/**
 * An exam file checked, its problems in `language`: each names where it is
 * (`exam.content.questions[2].id: …`), in zod's words for the general checks and Vakt's own for
 * its own. The CLI and scripts get English.
 */
export function parseExamFileIn(input: unknown, language: StaffLanguage): Parsed<ExamFile> {
  if (language === 'en') return parseExamFile(input);
  const result = examFileSchema.safeParse(input, { error: ZOD_LOCALES[language]().localeError });
  if (result.success) return { ok: true, value: result.data };
  const worded = result.error.issues.map((issue) => {
    const params = (issue as { params?: Record<string, string | number> }).params ?? {};
    const own = OWN_WORDS[typeof params.vakt === 'string' ? params.vakt : issue.message];
    if (!own) {
      // A message the schema wrote itself stays (and is worded above when it is Vakt's own).
      const common = /^[a-z]/.test(issue.message) ? null : commonCheck(issue, language);
      return common ? { ...issue, message: common } : issue;
    }
    const message = own[language].replace(/\{\{(\w+)\}\}/g, (_, name: string) =>
      String(params[name] ?? ''),
    );
    return { ...issue, message };
  });
  return { ok: false, problems: describeIssues(new z.ZodError(worded), 'exam') };
}
