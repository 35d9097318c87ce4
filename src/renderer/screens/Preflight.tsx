import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ClientState, PreflightReport } from '../../common/ipc';
import { Checklist } from '../parts/Checklist';
import { Opening } from '../parts/Opening';
import { Recorded } from '../parts/Recorded';
import { errorWords } from '../words';

const REFRESH_MS = 2_000;

/**
 * The live checklist before the start: it updates as the candidate fixes things. Signed in
 * before the exam opens, it is the waiting room: the exam starts by itself at the opening when
 * the list is clear, so there is no Start button until then.
 */
export function Preflight({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<PreflightReport | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const result = await window.vakt.getPreflight({});
      if (!live) return;
      setReport(result.ok ? result.value : null);
      setLoadProblem(result.ok ? null : errorWords(t, result.error));
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [t]);

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

  const { opening } = state;
  // Clear, or an invigilator lets the candidate start despite the checks.
  const mayStart = report?.clear === true || state.startApproved;
  return (
    <section className="preflight" aria-labelledby="preflight-title">
      <h1 id="preflight-title">{t(opening ? 'waiting.title' : 'preflight.title')}</h1>
      {opening && <Opening opening={opening} clockOffsetMs={state.clockOffsetMs} />}
      <p>{t('preflight.intro')}</p>
      {report && (
        <Checklist
          report={report}
          connectivity={state.connectivity}
          notes={notes}
          onClose={(name) => void close(name)}
        />
      )}
      {loadProblem && (
        <p className="problem" role="alert">
          {loadProblem}
        </p>
      )}
      {/* Start right under the checks: in view without scrolling on a 1366×768 laptop. */}
      {opening ? (
        report && (
          <p className={mayStart ? 'ok' : undefined}>
            {t(mayStart ? 'waiting.ready' : 'waiting.fixFirst', {
              opensAt: opening.opensAt,
            })}
          </p>
        )
      ) : state.startApproved ? (
        <p className="ok" role="status">
          {t('preflight.approved')}
        </p>
      ) : (
        report && !report.clear && <p>{t('preflight.waiting')}</p>
      )}
      {!opening && (
        <button type="button" disabled={!mayStart} onClick={() => void start()}>
          {t('preflight.start')}
        </button>
      )}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <p className="hint">{t('preflight.screenReaders')}</p>
      {report && <Recorded recorded={report.recorded} />}
    </section>
  );
}
