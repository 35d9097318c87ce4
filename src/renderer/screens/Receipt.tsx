import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ClientState, ExamView } from '../../common/ipc';
import { errorWords } from '../words';

/**
 * After submitting: the receipt once the server has it (exam, candidate, time and hash, to
 * print or save as PDF), or, until then, that the submission is sealed on this computer and
 * how to hand it in without a network.
 */
export function Receipt({ state, exam }: { state: ClientState; exam: ExamView | null }) {
  const { t } = useTranslation();
  const [note, setNote] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const submitted = state.phase === 'submitted';

  async function exportFile() {
    const result = await window.vakt.exportHandIn({});
    setNote(
      result.ok
        ? t('receipt.exported', { fileName: result.value.fileName })
        : errorWords(t, result.error),
    );
  }

  /** The print dialog; a PDF saved from it is named after the title ("Receipt for DEMO-1"). */
  function print(code: string | undefined) {
    const before = document.title;
    if (code) document.title = t('receipt.printTitle', { code });
    window.print();
    document.title = before;
  }

  async function leave() {
    const result = await window.vakt.requestExit({});
    setLeaving(result.ok && result.value.allowed);
  }

  return (
    <section className="receipt" aria-labelledby="receipt-title">
      {state.timeUp && (
        <div className="time-up">
          <h1 id="receipt-title">{t('receipt.timeUpTitle')}</h1>
          <p>{t('receipt.timeUpBody')}</p>
        </div>
      )}
      {state.timeUp ? (
        <h2>{submitted ? t('receipt.title') : t('receipt.submittingTitle')}</h2>
      ) : (
        <h1 id="receipt-title">{submitted ? t('receipt.title') : t('receipt.submittingTitle')}</h1>
      )}
      {submitted && exam && (
        <p className="receipt-exam">
          {exam.content.title} · {exam.examCode}
          <br />
          {exam.candidateName
            ? t('receipt.candidateNamed', {
                name: exam.candidateName,
                number: exam.candidateNumber,
              })
            : t('receipt.candidate', { number: exam.candidateNumber })}
        </p>
      )}
      {submitted && state.receiptAt !== null && <p>{t('receipt.at', { at: state.receiptAt })}</p>}
      {submitted && state.receiptHash && (
        <p>
          {t('receipt.hash')}: <code className="hash">{state.receiptHash}</code>
        </p>
      )}
      {submitted && state.receiptSignature && (
        <p className="receipt-signature">
          {t('receipt.signed')} <code className="signature">{state.receiptSignature}</code>
        </p>
      )}
      {submitted && <p className="hint">{t('receipt.keep')}</p>}
      {submitted && (
        <button type="button" className="no-print" onClick={() => print(exam?.examCode)}>
          {t('receipt.print')}
        </button>
      )}
      {submitted ? (
        <p className="ok no-print">{t('receipt.mayClose')}</p>
      ) : (
        state.connectivity !== 'online' && <p>{t('receipt.submittedOffline')}</p>
      )}
      {!submitted && (
        <button type="button" onClick={() => void exportFile()}>
          {t('receipt.exportHandIn')}
        </button>
      )}
      {note && <p role="status">{note}</p>}
      {submitted && !leaving && (
        <button type="button" className="primary no-print" onClick={() => void leave()}>
          {t('receipt.leave')}
        </button>
      )}
      {/* Leaving is offered once the server has the answers: say so, not "on this computer". */}
      {leaving && <p role="status">{t('receipt.closed')}</p>}
    </section>
  );
}
