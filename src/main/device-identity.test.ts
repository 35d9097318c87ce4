import { describe, expect, it } from 'vitest';

import { deviceIdHash, osMachineId } from './device-identity';

describe('device identity', () => {
  const machine = () => Promise.resolve('4c4c4544-0042-3510-8056-b4c04f4b4e32');

  it('is stable within an exam and different across exams, never the raw id', async () => {
    const a = await deviceIdHash('exam-a', machine);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await deviceIdHash('exam-a', machine)).toBe(a);
    expect(await deviceIdHash('exam-b', machine)).not.toBe(a);
    expect(a).not.toContain('4c4c4544');
  });

  it('tells two machines apart', async () => {
    const other = () => Promise.resolve('00000000-0000-0000-0000-000000000001');
    expect(await deviceIdHash('exam-a', other)).not.toBe(await deviceIdHash('exam-a', machine));
  });

  it('refuses an empty machine id with a reason', async () => {
    await expect(deviceIdHash('exam-a', () => Promise.resolve(' '))).rejects.toThrow(
      'no machine id',
    );
  });

  it("reads this machine's real id", async () => {
    expect(await deviceIdHash('exam-a', osMachineId)).toMatch(/^[0-9a-f]{64}$/);
  });
});
