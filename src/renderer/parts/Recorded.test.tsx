import { createInstance } from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';

import { examPolicySchema, type ExamPolicyInput } from '../../common/policy';
import { recordedBy } from '../../common/recorded';
import { en } from '../locales/en';
import { nb } from '../locales/nb';
import { nn } from '../locales/nn';

import { Recorded } from './Recorded';

/** What the candidate reads before the start, for an exam with `policy`, one item per line. */
async function read(policy: ExamPolicyInput, language: 'en' | 'nb' | 'nn') {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, nb: { translation: nb }, nn: { translation: nn } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <Recorded recorded={recordedBy(examPolicySchema.parse(policy))} />
    </I18nextProvider>,
  );
  return html.replace(/<\/(li|h2|p)>/g, '\n').replace(/<[^>]+>/g, '');
}

describe('what this exam records, as the candidate reads it', () => {
  it('names the kinds of program the policy watches, and leaves window titles out by default', async () => {
    const text = await read({}, 'en');
    expect(text).toContain('What this exam records');
    expect(text).toContain(
      'These kinds of program are closed, and it is recorded that they were: remote access.',
    );
    expect(text).toMatch(
      /run while you sit the exam .*: screen recording, chat and calls, AI assistants/,
    );
    expect(text).not.toMatch(/web browsers|assistive technology/);
    expect(text).toContain('which program you went to (not its window title)');
    expect(text).toContain('a virtual machine or is being used from somewhere else');
    expect(text).toContain('no screenshots, camera, microphone, keystrokes or files');
  });

  it('says so when the policy records window titles, and drops a kind the policy allows', async () => {
    const text = await read(
      {
        privacy: { recordWindowTitles: true },
        processes: { categoryActions: { communication: 'allow' } },
      },
      'en',
    );
    expect(text).toContain('and the title of its window');
    expect(text).not.toContain('chat and calls');
  });

  it.each(['nb', 'nn'] as const)('is all in %s', async (language) => {
    const text = await read({ privacy: { recordWindowTitles: true } }, language);
    expect(text).toMatch(/Dette registrerer eksamenen/);
    expect(text).toMatch(/fjernstyring/);
    expect(text).not.toMatch(/remote access|screen recording|window|displays|answers/i);
  });
});
