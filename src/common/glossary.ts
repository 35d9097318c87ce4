/**
 * The words both UIs use for the things people talk about on an exam day, per language, and the
 * variants they must not use (issue #38): a candidate who reads "serveren" and an invigilator
 * who reads "tjeneren" are told of two things. locales.test.ts holds every string of the
 * candidate UI and the dashboard to it. Verbs that look alike ("Vakt prøver igjen", "prøv
 * igjen") are not forbidden: only the nouns are.
 */
export interface GlossaryEntry {
  /** The word both UIs use. */
  term: string;
  /** What must not appear instead. */
  forbidden: readonly RegExp[];
}

export const GLOSSARY: Record<'nb' | 'nn' | 'en', Record<string, GlossaryEntry>> = {
  nb: {
    server: { term: 'serveren', forbidden: [/\btjener(en|ens|e|ne)?\b/i] },
    exam: {
      term: 'eksamen',
      forbidden: [/\bprøven(e)?\b/i, /\bprøvevindu/i, /^prøve$/i, /\b(en|hele|for) prøve\b/i],
    },
    invigilator: { term: 'eksamensvakt', forbidden: [/\btilsynsvakt/i, /\binvigilator\b/i] },
    candidate: { term: 'kandidat', forbidden: [/\bstudenten\b/i, /\beleven\b/i] },
  },
  nn: {
    server: { term: 'tenaren', forbidden: [/\bserver(en|ens)?\b/i, /\btjenar/i, /\btjener/i] },
    exam: {
      term: 'eksamen',
      forbidden: [/\bprøva\b/i, /\bprøvevindauge/i, /^prøve$/i, /\b(ei|heile|for) prøve\b/i],
    },
    invigilator: { term: 'eksamensvakt', forbidden: [/\btilsynsvakt/i, /\binvigilator\b/i] },
    candidate: { term: 'kandidat', forbidden: [/\bstudenten\b/i, /\beleven\b/i] },
  },
  en: {
    server: { term: 'server', forbidden: [] },
    exam: { term: 'exam', forbidden: [/\btest window\b/i, /\bexamination\b/i] },
    invigilator: { term: 'invigilator', forbidden: [/\bproctor/i, /\bsupervisor\b/i] },
    candidate: { term: 'candidate', forbidden: [] },
  },
};

/** Every glossary variant `text` uses, as "server: tjeneren". */
export function glossaryBreaches(language: keyof typeof GLOSSARY, text: string): string[] {
  // Placeholders ({{server}}) are names for the code, not words for the reader.
  const words = text.replace(/\{\{[^}]*\}\}/g, '');
  return Object.entries(GLOSSARY[language]).flatMap(([concept, entry]) =>
    entry.forbidden.flatMap((pattern) => {
      const found = pattern.exec(words);
      return found ? [`${concept}: ${found[0]}`] : [];
    }),
  );
}
