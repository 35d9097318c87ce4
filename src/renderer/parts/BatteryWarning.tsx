import { useTranslation } from 'react-i18next';

import { batteryWarning, type Battery } from '../../common/device';

/**
 * The laptop's battery when it runs low and is not charging (SEB's thresholds): at 20 % a
 * notice, said politely; at 10 % in red, said at once. Screen readers hear each threshold
 * once, not every percent.
 */
export function BatteryWarning({ battery }: { battery: Battery | null }) {
  const { t } = useTranslation();
  const warning = batteryWarning(battery);
  const said = warning === 10 ? t('battery.critical') : warning === 20 ? t('battery.low') : '';
  return (
    <>
      {warning !== null && battery && (
        <p className={`battery-warning${warning === 10 ? ' last' : ''}`} aria-hidden="true">
          {t('battery.level', { level: battery.level })} {said}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {warning === 20 ? said : ''}
      </p>
      <p className="visually-hidden" role="alert">
        {warning === 10 ? said : ''}
      </p>
    </>
  );
}
