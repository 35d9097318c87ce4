import { createInstance } from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';

import type { Connectivity, PreflightReport } from '../../common/ipc';
import { en } from '../locales/en';
import { nn } from '../locales/nn';

import { Checklist } from './Checklist';

async function render(report: PreflightReport, connectivity: Connectivity, language: 'en' | 'nn') {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, nn: { translation: nn } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <Checklist report={report} connectivity={connectivity} notes={{}} onClose={() => undefined} />
    </I18nextProvider>,
  );
  // The words as the candidate reads them, one list item per line.
  return html.replace(/<\/li>/g, '\n').replace(/<[^>]+>/g, '');
}

const laptop = { internal: true, width: 1920, height: 1200, mirrored: true };
const troubled: PreflightReport = {
  programs: [],
  displays: [laptop, { ...laptop, internal: false }, { ...laptop, internal: false }],
  displayProblems: [{ code: 'too-many-displays', connected: 3, allowed: 1 }, { code: 'mirrored' }],
  vmFindings: [],
  vmBlocks: false,
  remoteSessions: [{ via: 'rdp' }, { via: 'remote-access-program', program: 'AnyDesk' }],
  focusWarning: null,
  recorded: { programs: [], focus: true, windowTitles: false, displays: true },
  clear: false,
};

describe('the preflight checklist', () => {
  it('words display problems, remote sessions and the network in the candidate’s language', async () => {
    const text = await render(troubled, 'offline', 'nn');
    expect(text).toContain(
      '3 skjermar er kopla til; denne eksamenen tillèt 1. Kople frå dei andre.',
    );
    expect(text).toContain('Skjermen blir spegla til ein annan skjerm. Slå av speglinga.');
    expect(text).toContain('Denne datamaskina blir brukt via Eksternt skrivebord.');
    expect(text).toContain(
      'AnyDesk kan la nokon andre sjå eller styre denne datamaskina. Lukk det.',
    );
    expect(text).toContain('Inga tilkopling til eksamenstenaren. Du kan likevel starte');
    expect(text).not.toContain('Alt er klart.');
    // No English is left in a Norwegian checklist.
    expect(text).not.toMatch(/display|mirror|Remote Desktop|connection/i);
  });

  it('says all is ready, and connected, when nothing stands in the way', async () => {
    const text = await render(
      { ...troubled, displays: [laptop], displayProblems: [], remoteSessions: [], clear: true },
      'online',
      'en',
    );
    expect(text.trim().split('\n')).toEqual([
      '1 display',
      'Connected to the exam server.',
      'Everything is ready.',
    ]);
  });
});
