import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { batteryWarning } from '../../common/device';

import { readLinuxDevice } from './device-reader';

/** A fake /sys/class: each path a file with its text ('' makes a directory). */
async function sysfs(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'vakt-sysfs-'));
  for (const [path, value] of Object.entries(files)) {
    const full = join(root, path);
    if (value === '') await mkdir(full, { recursive: true });
    else {
      await mkdir(join(full, '..'), { recursive: true });
      await writeFile(full, `${value}\n`);
    }
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];

describe('the laptop as Linux sees it', () => {
  afterEach(async () => {
    for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
  });

  it('reads the battery, whether it charges, and Wi-Fi', async () => {
    const root = await sysfs({
      'power_supply/AC/type': 'Mains',
      'power_supply/AC/online': '0',
      'power_supply/BAT0/type': 'Battery',
      'power_supply/BAT0/capacity': '19',
      'power_supply/BAT0/status': 'Discharging',
      'net/lo/operstate': 'unknown',
      'net/wlp2s0/operstate': 'up',
      'net/wlp2s0/device': '',
      'net/wlp2s0/wireless': '',
      'net/docker0/operstate': 'up',
    });
    expect(await readLinuxDevice(root)).toEqual({
      battery: { level: 19, charging: false },
      network: 'wifi',
    });
  });

  it('counts mains power as charging, and a wired link over Wi-Fi', async () => {
    const root = await sysfs({
      'power_supply/ADP1/type': 'Mains',
      'power_supply/ADP1/online': '1',
      'power_supply/BAT1/type': 'Battery',
      'power_supply/BAT1/capacity': '9',
      'power_supply/BAT1/status': 'Not charging',
      'net/enp0s31f6/operstate': 'up',
      'net/enp0s31f6/device': '',
      'net/wlan0/operstate': 'up',
      'net/wlan0/device': '',
      'net/wlan0/wireless': '',
    });
    expect(await readLinuxDevice(root)).toEqual({
      battery: { level: 9, charging: true },
      network: 'wired',
    });
  });

  it('says nothing it cannot read: a desktop, or no sysfs at all', async () => {
    expect(await readLinuxDevice(join(tmpdir(), 'vakt-no-such-sysfs'))).toEqual({
      battery: null,
      network: null,
    });
    const root = await sysfs({
      'power_supply/BAT0/type': 'Battery',
      'power_supply/BAT0/capacity': 'x',
      // No capacity at all is not 0 %.
      'power_supply/BAT1/type': 'Battery',
      // A wireless mouse's battery is not the laptop's.
      'power_supply/hidpp_battery_0/type': 'Battery',
      'power_supply/hidpp_battery_0/scope': 'Device',
      'power_supply/hidpp_battery_0/capacity': '5',
      'net/wlp0s20f3/operstate': 'up',
      'net/wlp0s20f3/device': '',
      'net/wlp0s20f3/phy80211': '',
    });
    expect(await readLinuxDevice(root)).toEqual({ battery: null, network: 'wifi' });
  });

  it('warns at 20 % and at 10 %, never while charging', () => {
    expect(batteryWarning({ level: 21, charging: false })).toBeNull();
    expect(batteryWarning({ level: 20, charging: false })).toBe(20);
    expect(batteryWarning({ level: 11, charging: false })).toBe(20);
    expect(batteryWarning({ level: 10, charging: false })).toBe(10);
    expect(batteryWarning({ level: 3, charging: true })).toBeNull();
    expect(batteryWarning(null)).toBeNull();
  });
});
