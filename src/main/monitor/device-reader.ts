import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import type { Battery, Device } from '../../common/device';

/** A file's text, trimmed, or null when it cannot be read (absent, no permission). */
async function text(path: string): Promise<string | null> {
  return readFile(path, 'utf8').then(
    (value) => value.trim(),
    () => null,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/**
 * The battery and the network type as Linux says in sysfs (`root` is /sys/class): the first
 * battery in power_supply (capacity, status) and whether mains power is online; Wi-Fi if a
 * wireless interface is up and no wired one is, wired if a wired one is up (hardware
 * interfaces only). Unknown is null.
 */
export async function readLinuxDevice(root = '/sys/class'): Promise<Device> {
  const supplies = join(root, 'power_supply');
  let battery: Battery | null = null;
  let mains = false;
  for (const name of (await entries(supplies)).sort()) {
    const dir = join(supplies, name);
    const type = await text(join(dir, 'type'));
    if (type === 'Mains' && (await text(join(dir, 'online'))) === '1') mains = true;
    if (type !== 'Battery' || battery) continue;
    // A wireless mouse or keyboard reports a battery too: only the system's counts.
    if ((await text(join(dir, 'scope'))) === 'Device') continue;
    const capacity = await text(join(dir, 'capacity'));
    const level = capacity ? Number(capacity) : NaN;
    if (!Number.isInteger(level) || level < 0 || level > 100) continue;
    const status = await text(join(dir, 'status'));
    battery = { level, charging: status === 'Charging' || status === 'Full' };
  }
  if (battery && mains) battery = { ...battery, charging: true };

  const net = join(root, 'net');
  let wifi = false;
  let wired = false;
  for (const name of await entries(net)) {
    if ((await text(join(net, name, 'operstate'))) !== 'up') continue;
    // Hardware only: a bridge, a tunnel or a container's interface has no device.
    if (!(await exists(join(net, name, 'device')))) continue;
    // wireless/ where the kernel has wireless extensions, phy80211 wherever it has cfg80211.
    const radio =
      (await exists(join(net, name, 'wireless'))) || (await exists(join(net, name, 'phy80211')));
    if (radio) wifi = true;
    else wired = true;
  }
  return { battery, network: wired ? 'wired' : wifi ? 'wifi' : null };
}
