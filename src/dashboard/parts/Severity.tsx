import { useTranslation } from 'react-i18next';

import type { Severity } from '../../common/staff-api';

const ICONS: Record<Severity, string> = { high: '▲', medium: '◆', low: '●', info: '○' };

/** Severity by colour, by icon and in words: never by colour alone. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <span className={`severity severity-${severity}`}>
      <span aria-hidden="true">{ICONS[severity]}</span> {t(`severity.${severity}`)}
    </span>
  );
}
