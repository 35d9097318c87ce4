import { createHash } from 'node:crypto';

import nodeMachineId from 'node-machine-id';

/** Reads the OS's own machine id (node-machine-id in production, a fixed one in tests). */
export type MachineIdSource = () => Promise<string>;

export const osMachineId: MachineIdSource = () => nodeMachineId.machineId(true);

/**
 * The device id the client sends at sign-in: sha256(machine id ‖ exam id). The same laptop is
 * recognisable within one exam (a second device shows up as such) but not across exams, and
 * the raw machine id never leaves the computer.
 */
export async function deviceIdHash(
  examId: string,
  machineId: MachineIdSource = osMachineId,
): Promise<string> {
  const id = (await machineId()).trim();
  if (id === '')
    throw new Error('This computer reports no machine id; Vakt cannot tell it apart from others.');
  return createHash('sha256').update(`${id}\u0000${examId}`, 'utf8').digest('hex');
}
