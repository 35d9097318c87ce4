import { describe, expect, it } from 'vitest';

import { SYSTEM_PROGRAMS } from '../system-programs';

import { deviceReaderFor, parsePmset, parseWin32Battery } from './device-os';

describe('the battery on macOS (pmset -g batt)', () => {
  it('reads the percent and whether it charges', () => {
    expect(
      parsePmset(
        "Now drawing from 'Battery Power'\n -InternalBattery-0 (id=4653155)\t18%; discharging; 0:41 remaining present: true\n",
      ),
    ).toEqual({ level: 18, charging: false });
    expect(
      parsePmset(
        "Now drawing from 'AC Power'\n -InternalBattery-0 (id=4653155)\t9%; charging; 2:10 remaining present: true\n",
      ),
    ).toEqual({ level: 9, charging: true });
    // On AC but not charging (an optimised charge holds at 80 %): no warning either.
    expect(
      parsePmset(
        "Now drawing from 'AC Power'\n -InternalBattery-0 (id=1)\t80%; AC attached; not charging present: true\n",
      ),
    ).toEqual({ level: 80, charging: true });
    // A Mac without a battery.
    expect(parsePmset("Now drawing from 'AC Power'\n")).toBeNull();
  });
});

describe('the battery on Windows (Win32_Battery)', () => {
  it('reads the percent and the status', () => {
    expect(parseWin32Battery('{"EstimatedChargeRemaining":19,"BatteryStatus":1}')).toEqual({
      level: 19,
      charging: false,
    });
    expect(parseWin32Battery('{"EstimatedChargeRemaining":9,"BatteryStatus":2}')).toEqual({
      level: 9,
      charging: true,
    });
    expect(parseWin32Battery('{"EstimatedChargeRemaining":50,"BatteryStatus":7}')?.charging).toBe(
      true,
    );
    // Undefined (10) and partially charged (11) are no reason to stay quiet at 9 %.
    expect(parseWin32Battery('{"EstimatedChargeRemaining":9,"BatteryStatus":11}')?.charging).toBe(
      false,
    );
    // A desktop: nothing printed. Garbage: unknown, not a crash.
    expect(parseWin32Battery('')).toBeNull();
    expect(parseWin32Battery('{"EstimatedChargeRemaining":255}')).toBeNull();
    expect(parseWin32Battery('not json')).toBeNull();
  });
});

describe('which program is asked', () => {
  it('runs the OS tool by its full path, and a failed one reads as unknown', async () => {
    const asked: string[] = [];
    const failing = (file: string) => {
      asked.push(file);
      return Promise.reject(new Error('not there'));
    };
    expect(await deviceReaderFor('darwin', failing)!()).toEqual({ battery: null, network: null });
    expect(await deviceReaderFor('win32', failing)!()).toEqual({ battery: null, network: null });
    expect(asked).toEqual([SYSTEM_PROGRAMS.pmset, SYSTEM_PROGRAMS.powershell]);
    expect(deviceReaderFor('freebsd')).toBeNull();
  });
});
