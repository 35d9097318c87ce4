import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import type { Connectivity, DisplayProblem, PreflightReport } from '../../common/ipc';

type RemoteSign = PreflightReport['remoteSessions'][number];

/**
 * What preflight found, each item in the candidate's words: programs to close (with a close
 * button where the policy allows), displays, virtual machine, remote sessions and the network.
 */
export function Checklist({
  report,
  connectivity,
  notes,
  onClose,
}: {
  report: PreflightReport;
  connectivity: Connectivity;
  /** What happened when the candidate last pressed a program's close button, by name. */
  notes: Record<string, string>;
  onClose: (friendlyName: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <ul className="checklist" aria-live="polite">
      {report.programs.length > 0 && (
        <li>
          <h2>{t('preflight.programs')}</h2>
          <ul>
            {report.programs.map((program) => (
              <li key={program.friendlyName} className="program">
                <span>{program.friendlyName}</span>
                {program.closable && (
                  <button type="button" onClick={() => onClose(program.friendlyName)}>
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
      {report.displayProblems.map((problem) => (
        <li key={problem.code}>{displayWords(t, problem)}</li>
      ))}
      {report.vmBlocks && <li>{t('preflight.vm')}</li>}
      {!report.vmBlocks && report.vmFindings.length > 0 && <li>{t('preflight.vmNoted')}</li>}
      {report.remoteSessions.map((sign) => (
        <li key={`${sign.via}:${sign.program ?? ''}`}>{remoteWords(t, sign)}</li>
      ))}
      <li className={connectivity === 'offline' ? undefined : 'ok'}>
        {t(connectivity === 'offline' ? 'preflight.offline' : 'preflight.online')}
      </li>
      {report.clear && <li className="ok">{t('preflight.allClear')}</li>}
    </ul>
  );
}

function displayWords(t: TFunction, problem: DisplayProblem): string {
  return problem.code === 'mirrored'
    ? t('preflight.mirrored')
    : t('preflight.tooManyDisplays', { connected: problem.connected, allowed: problem.allowed });
}

function remoteWords(t: TFunction, sign: RemoteSign): string {
  if (sign.via === 'rdp') return t('preflight.remoteRdp');
  if (sign.via === 'ssh') return t('preflight.remoteSsh');
  return t('preflight.remoteProgram', { name: sign.program ?? '' });
}
