import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { PreflightReport } from '../../common/ipc';
import { errorWords } from '../words';

const REFRESH_MS = 2_000;

/** The live checklist before the start: it updates as the candidate fixes things. */
export function Preflight() {
  const { t } = useTranslation();
  const [report, setReport] = useState<PreflightReport | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const result = await window.vakt.getPreflight({});
      if (live && result.ok) setReport(result.value);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  async function close(name: string) {
    const result = await window.vakt.closeProgram({ name });
    const outcome = result.ok ? result.value.outcome : 'still-running';
    setNotes({
      ...notes,
      [name]:
        outcome === 'ended'
          ? ''
          : t(outcome === 'not-permitted' ? 'preflight.notPermitted' : 'preflight.closeFailed', {
              name,
            }),
    });
    const again = await window.vakt.getPreflight({});
    if (again.ok) setReport(again.value);
  }

  async function start() {
    const result = await window.vakt.startExam({});
    setProblem(result.ok ? null : errorWords(t, result.error));
  }

  return (
    <section className="preflight" aria-labelledby="preflight-title">
      <h1 id="preflight-title">{t('preflight.title')}</h1>
      <p>{t('preflight.intro')}</p>
      {report && (
        <ul className="checklist" aria-live="polite">
          {report.programs.length > 0 && (
            <li>
              <h2>{t('preflight.programs')}</h2>
              <ul>
                {report.programs.map((program) => (
                  <li key={program.friendlyName} className="program">
                    <span>{program.friendlyName}</span>
                    {program.closable && (
                      <button type="button" onClick={() => void close(program.friendlyName)}>
                        {t('preflight.close', { name: program.friendlyName })}
                      </button>
                    )}
                    {!program.closable && (
                      <span className="hint">
                        {t('preflight.notPermitted', { name: program.friendlyName })}
                      </span>
                    )}
                    {notes[program.friendlyName] && (
                      <span className="hint">{notes[program.friendlyName]}</span>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          )}
          {report.displays.length > 0 && (
            <li>{t('preflight.displays', { count: report.displays.length })}</li>
          )}
          {report.displayProblems.map((text) => (
            <li key={text}>{text}</li>
          ))}
          {report.vmBlocks && <li>{t('preflight.vm')}</li>}
          {!report.vmBlocks && report.vmFindings.length > 0 && <li>{t('preflight.vmNoted')}</li>}
          {report.remoteSessions.map((session) => (
            <li key={session.detail}>{t('preflight.remote', { detail: session.detail })}</li>
          ))}
          {report.clear && <li className="ok">{t('preflight.allClear')}</li>}
        </ul>
      )}
      <p className="hint">{t('preflight.screenReaders')}</p>
      {report && !report.clear && <p>{t('preflight.waiting')}</p>}
      <button type="button" disabled={!report?.clear} onClick={() => void start()}>
        {t('preflight.start')}
      </button>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
