import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CandidateRow, RoomInstructionResult, SignInSlip } from '../../common/staff-api';
import { api, type ApiError, type RoomInstructionRequest } from '../api';

import { ErrorNote, handleFailure } from './ErrorNote';
import { Slips } from './Slips';

type Kind = RoomInstructionRequest['kind'];
const KINDS = [
  'pause',
  'resume',
  'lock',
  'unlock',
  'add-time',
  'message',
] as const satisfies Kind[];

/**
 * One action for every selected candidate: chosen, confirmed with how many it is for, sent in
 * one request; then how many it reached, and who was skipped and why.
 */
export function RoomActions(props: {
  examId: string;
  selected: readonly string[];
  rows: ReadonlyMap<string, CandidateRow>;
  /** Admins may also give the selection new personal codes, with slips to print. */
  admin: boolean;
  examCode: string;
  onClear: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { examId, selected, rows } = props;
  const [asking, setAsking] = useState<Kind | 'codes' | null>(null);
  const [slips, setSlips] = useState<SignInSlip[] | null>(null);
  const [minutes, setMinutes] = useState(10);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<RoomInstructionResult | null>(null);
  const count = selected.length;

  const newCodes = () => {
    setBusy(true);
    setError(null);
    setResult(null);
    api
      .issueCodes({ examId }, { candidates: [...selected] })
      .then(({ slips: issued }) => setSlips(issued), handleFailure(props.onSignedOut, setError))
      .finally(() => {
        setBusy(false);
        setAsking(null);
      });
  };
  const send = (kind: Kind) => {
    setBusy(true);
    setError(null);
    setResult(null);
    api
      .instructRoom(
        { examId },
        kind === 'add-time'
          ? { candidates: [...selected], kind, minutes }
          : kind === 'message'
            ? { candidates: [...selected], kind, text: text.trim() }
            : { candidates: [...selected], kind },
      )
      .then(setResult, handleFailure(props.onSignedOut, setError))
      .finally(() => {
        setBusy(false);
        setAsking(null);
      });
  };
  const who = (id: string) => {
    const row = rows.get(id);
    return row ? `${row.candidateNumber} ${row.name}` : id;
  };

  return (
    <section className="room-actions" aria-labelledby="room-actions-title">
      <h2 id="room-actions-title" className="visually-hidden">
        {t('room.title')}
      </h2>
      <p aria-live="polite">
        {t('room.selected', { count })}{' '}
        {count > 0 && (
          <button type="button" className="link" onClick={props.onClear}>
            {t('room.clear')}
          </button>
        )}
      </p>
      <div className="action-row">
        {KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            disabled={busy || count === 0 || (kind === 'message' && text.trim() === '')}
            onClick={() => setAsking(kind)}
          >
            {t(`room.kinds.${kind}`)}
          </button>
        ))}
        <label>
          {t('actions.minutes')}
          <input
            type="number"
            min={1}
            max={1440}
            value={minutes}
            onChange={(event) => setMinutes(Math.max(1, Number(event.target.value) || 1))}
          />
        </label>
        {props.admin && (
          <button type="button" disabled={busy || count === 0} onClick={() => setAsking('codes')}>
            {t('room.kinds.codes')}
          </button>
        )}
        <label className="message-field">
          {t('room.messageText')}
          <input value={text} maxLength={500} onChange={(event) => setText(event.target.value)} />
        </label>
      </div>
      {asking && (
        <div className="confirm" role="alertdialog" aria-labelledby="room-confirm">
          <p id="room-confirm">{t(`room.confirm.${asking}`, { count, minutes })}</p>
          <button
            type="button"
            disabled={busy}
            onClick={() => (asking === 'codes' ? newCodes() : send(asking))}
            autoFocus
          >
            {t('room.yes', { count })}
          </button>
          <button type="button" onClick={() => setAsking(null)}>
            {t('room.cancel')}
          </button>
        </div>
      )}
      {busy && asking === 'codes' && <p role="status">{t('room.makingCodes', { count })}</p>}
      {error && <ErrorNote error={error} />}
      {slips && <Slips examCode={props.examCode} slips={slips} onClose={() => setSlips(null)} />}
      {result && (
        <div role="status">
          <p>{t('room.sent', { count: result.sent })}</p>
          {result.refused.length > 0 && (
            <>
              <p>{t('room.skipped', { count: result.refused.length })}</p>
              <ul>
                {result.refused.map((refused) => (
                  <li key={refused.candidateId}>
                    {who(refused.candidateId)}:{' '}
                    {t(`room.refused.${refused.code}`, { defaultValue: refused.message })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
