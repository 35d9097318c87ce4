import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { ExamRetentionView, LegalHoldView } from '../../common/staff-api';
import { api, ApiError } from '../api';
import { dayOf, tomorrow, useDayFormat } from '../dates';
import { formText } from '../form';
import { hrefOf } from '../route';

import { handleFailure } from './ErrorNote';
import { Problems } from './Problems';

/** Legal holds: open ones first, each released by an admin; a form to open one. */
export function LegalHolds({
  exams,
  onSignedOut,
}: {
  exams: ExamRetentionView[];
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const day = useDayFormat();
  const [holds, setHolds] = useState<LegalHoldView[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [opened, setOpened] = useState(false);
  const failed = handleFailure(onSignedOut, setError);
  const load = useCallback(() => {
    api
      .legalHolds()
      .then(({ holds: list }) => setHolds(list), handleFailure(onSignedOut, setError));
  }, [onSignedOut]);
  useEffect(load, [load]);
  const codeOf = (examId: string) => exams.find((exam) => exam.id === examId)?.code ?? examId;

  const open = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    setOpened(false);
    const examId = formText(form, 'exam');
    const number = formText(form, 'candidate').trim();
    let candidateId: string | null = null;
    if (number !== '') {
      try {
        const { candidates } = await api.candidates({ examId });
        candidateId = candidates.find((row) => row.candidateNumber === number)?.id ?? null;
      } catch (failure) {
        failed(failure as ApiError);
        return;
      }
      if (candidateId === null) {
        const code = codeOf(examId);
        setError(new ApiError(404, 'no-candidate', t('privacy.noCandidate', { number, code })));
        return;
      }
    }
    api
      .openLegalHold({
        examId,
        candidateId,
        ...holdFieldsOf(form),
      })
      .then(() => {
        form.reset();
        setOpened(true);
        load();
      }, failed);
  };
  const release = (hold: LegalHoldView) => {
    setError(null);
    api.releaseLegalHold(hold.id).then(load, failed);
  };

  return (
    <section aria-labelledby="holds-title">
      <h2 id="holds-title">{t('privacy.holds')}</h2>
      <p className="muted">{t('privacy.holdsHint')}</p>
      {holds.length === 0 ? (
        <p>{t('privacy.noHolds')}</p>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{t('privacy.exam')}</th>
              <th scope="col">{t('privacy.scope')}</th>
              <th scope="col">{t('privacy.reason')}</th>
              <th scope="col">{t('privacy.review')}</th>
              <th scope="col">{t('privacy.state')}</th>
            </tr>
          </thead>
          <tbody>
            {holds.map((hold) => (
              <tr key={hold.id}>
                <td>{codeOf(hold.examId)}</td>
                <td>
                  {hold.candidateId === null ? (
                    t('privacy.wholeExam')
                  ) : (
                    <a
                      href={hrefOf({
                        page: 'candidate',
                        examId: hold.examId,
                        candidateId: hold.candidateId,
                      })}
                    >
                      {t('privacy.oneCandidate')}
                    </a>
                  )}
                </td>
                <td id={`hold-reason-${hold.id}`}>{hold.reason}</td>
                <td>{day.format(hold.reviewAt)}</td>
                <td>
                  {hold.releasedAt === null ? (
                    <button
                      type="button"
                      aria-describedby={`hold-reason-${hold.id}`}
                      onClick={() => release(hold)}
                    >
                      {t('privacy.release', { exam: codeOf(hold.examId) })}
                    </button>
                  ) : (
                    t('privacy.released', { date: day.format(hold.releasedAt) })
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('privacy.newHold')}</h3>
      <form className="stacked" onSubmit={(event) => void open(event)}>
        <label>
          {t('privacy.exam')}
          <select name="exam" required>
            {exams.map((exam) => (
              <option key={exam.id} value={exam.id}>
                {exam.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('privacy.candidateNumber')}
          <input name="candidate" maxLength={50} />
        </label>
        <HoldFields />
        {error && <Problems error={error} />}
        {opened && !error && <p role="status">{t('privacy.holdOpened')}</p>}
        <button type="submit">{t('privacy.openHold')}</button>
      </form>
    </section>
  );
}

/** Why a hold is opened and when it is reviewed: the fields every hold form asks for. */
export function HoldFields() {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('privacy.reason')}
        <textarea name="reason" required maxLength={500} rows={2} />
      </label>
      <label>
        {t('privacy.review')}
        <input name="review" type="date" required min={tomorrow()} />
      </label>
    </>
  );
}

/** What HoldFields hold, as the legal-hold request takes them. */
export function holdFieldsOf(form: HTMLFormElement): { reason: string; reviewAt: number } {
  return { reason: formText(form, 'reason'), reviewAt: dayOf(formText(form, 'review')) };
}
