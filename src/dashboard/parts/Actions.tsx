import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { CandidateDetail } from '../../common/staff-api';
import { api, type ApiError, type InstructionRequest } from '../api';
import { duration } from '../describe';
import { formText } from '../form';

import { ErrorNote, handleFailure } from './ErrorNote';
import { DATE_TIME } from './ReviewLine';

/**
 * What an invigilator can do to one candidate. Each action is audited by the server and
 * reaches the laptop with its next heartbeat; the list below says whether it has arrived.
 */
export function Actions(props: {
  examId: string;
  detail: CandidateDetail;
  onSent: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { examId, detail } = props;
  const candidateId = detail.candidate.id;
  const [error, setError] = useState<ApiError | null>(null);
  /** The instruction sent last from this page: "waiting for the laptop" until it is applied. */
  const [sentId, setSentId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = (instruction: InstructionRequest, onSent?: () => void) => {
    setBusy(true);
    setError(null);
    api
      .instruct({ examId, candidateId }, instruction)
      .then(
        (reply) => {
          setSentId('id' in reply ? reply.id : null);
          onSent?.();
          props.onSent();
        },
        handleFailure(props.onSignedOut, setError),
      )
      .finally(() => setBusy(false));
  };
  const lock = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = formText(event.currentTarget, 'reason').trim();
    send(reason ? { kind: 'lock', reason } : { kind: 'lock' });
  };
  const message = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = formText(form, 'text').trim();
    // Cleared once sent: a refused message keeps its text to try again.
    if (text) send({ kind: 'message', text }, () => form.reset());
  };
  const addTime = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send({ kind: 'add-time', minutes: Number(formText(event.currentTarget, 'minutes')) });
  };

  const { state } = detail.candidate;
  const handedIn = state === 'submitted' || state === 'submission-mismatch';
  // The newest pause or resume says whether a pause is running (applied or not yet).
  const paused =
    detail.instructions.findLast((sent) => sent.kind === 'pause' || sent.kind === 'resume')
      ?.kind === 'pause';
  const waiting = detail.instructions.some((sent) => sent.id === sentId && sent.appliedAt === null);

  return (
    <section className="actions" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('actions.title')}</h2>
      <p className="muted">{t('actions.hint')}</p>
      {handedIn ? (
        <p>{t('actions.handedIn')}</p>
      ) : (
        <>
          <div className="action-row">
            {paused ? (
              <button type="button" disabled={busy} onClick={() => send({ kind: 'resume' })}>
                {t('actions.resume')}
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => send({ kind: 'pause' })}>
                {t('actions.pause')}
              </button>
            )}
            <span className="muted">{t('actions.pauseHint')}</span>
          </div>
          <div className="action-row">
            <form onSubmit={lock}>
              <label>
                {t('actions.lockReason')}
                <input name="reason" maxLength={200} />
              </label>
              <button type="submit" disabled={busy}>
                {t('actions.lock')}
              </button>
            </form>
            <button type="button" disabled={busy} onClick={() => send({ kind: 'unlock' })}>
              {t('actions.unlock')}
            </button>
          </div>
          <div className="action-row">
            <form onSubmit={addTime}>
              <label>
                {t('actions.minutes')}
                <input name="minutes" type="number" min={1} max={1440} defaultValue={10} required />
              </label>
              <button type="submit" disabled={busy}>
                {t('actions.addTime')}
              </button>
            </form>
            <button type="button" disabled={busy} onClick={() => send({ kind: 'allow-quit' })}>
              {t('actions.allowQuit')}
            </button>
            {detail.candidate.state === 'preflight' && (
              <button
                type="button"
                disabled={busy}
                onClick={() => send({ kind: 'approve-preflight' })}
              >
                {t('actions.approvePreflight')}
              </button>
            )}
          </div>
          <div className="action-row">
            <form onSubmit={message}>
              <label>
                {t('actions.messageText')}
                <input name="text" maxLength={500} required />
              </label>
              <button type="submit" disabled={busy}>
                {t('actions.sendMessage')}
              </button>
            </form>
          </div>
        </>
      )}
      {detail.waitingDevices.map((device) => (
        <p key={device.journalId} className="action-row">
          {t('actions.waitingDevice', {
            version: device.clientVersion,
            since: new Date(device.since),
            formatParams: { since: DATE_TIME },
          })}{' '}
          <button
            type="button"
            disabled={busy}
            onClick={() => send({ kind: 'approve-device', journalId: device.journalId })}
          >
            {t('actions.approveDevice')}
          </button>
        </p>
      ))}
      {error && <ErrorNote error={error} />}
      {waiting && !error && (
        <p role="status" className="muted">
          {t('actions.sent')}
        </p>
      )}
      <h3>{t('actions.history')}</h3>
      {detail.instructions.length === 0 ? (
        <p>{t('actions.noInstructions')}</p>
      ) : (
        <ul className="instructions">
          {detail.instructions.map((instruction) => (
            <li key={instruction.id} data-applied={instruction.appliedAt !== null}>
              {t(`actions.kinds.${instruction.kind}`, { minutes: instruction.minutes })}
              {instruction.reason && ` ${t('actions.quoted', { reason: instruction.reason })}`}
              {instruction.text !== null && ` ${t('actions.quoted', { reason: instruction.text })}`}
              {instruction.readAt !== null &&
                ` ${t('actions.read', { at: new Date(instruction.readAt), formatParams: { at: DATE_TIME } })}`}
              {instruction.pausedMs !== null &&
                ` ${t('actions.givenBack', { time: duration(instruction.pausedMs) })}`}
              {' — '}
              {instruction.appliedAt === null
                ? t('actions.notApplied')
                : t('actions.applied', {
                    at: new Date(instruction.appliedAt),
                    formatParams: { at: DATE_TIME },
                  })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
