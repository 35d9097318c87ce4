import { useTranslation } from 'react-i18next';

import { batteryWarning, type Battery } from '../../common/device';

import { LiveNotice } from './LiveNotice';

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
    <LiveNotice
      className="battery-warning"
      shown={
        warning !== null && battery
          ? `${t('battery.level', { level: battery.level })} ${said}`
          : null
      }
      said={said}
      urgent={warning === 10}
    />
  );
}
