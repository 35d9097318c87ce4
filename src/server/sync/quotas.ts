/**
 * What the server keeps for one journal. A token holder could otherwise store ~1 MiB per
 * request for as long as the token lives. Generous for honest use: a three-hour essay saved
 * every 500 ms while typing is ~20,000 records of a few KiB each; quarantine only ever holds
 * what follows a fork or a broken chain.
 */
export interface Quotas {
  journalBytes: number;
  quarantineBytes: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  journalBytes: 512 * 1024 * 1024,
  quarantineBytes: 32 * 1024 * 1024,
};
