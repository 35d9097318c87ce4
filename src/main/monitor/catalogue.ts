import { z } from 'zod';

import {
  processCategorySchema,
  type ProcessAction,
  type ProcessCategory,
} from '../../common/events';
import type { ExamPolicy } from '../../common/policy';

export type MonitoredOs = 'win32' | 'darwin' | 'linux';

const executableName = z.string().min(1).max(255);

/** One program of assets/process-catalogue.json. */
export const catalogueEntrySchema = z.strictObject({
  friendlyName: z.string().min(1).max(100),
  category: processCategorySchema,
  /** Executable file names per OS, as the OS reports them (see the matching rule below). */
  names: z
    .strictObject({
      win32: z.array(executableName).min(1).optional(),
      darwin: z.array(executableName).min(1).optional(),
      linux: z.array(executableName).min(1).optional(),
    })
    .refine((names) => Object.keys(names).length > 0, 'needs names for at least one OS'),
  bundleIds: z.array(z.string().min(1)).optional(),
  /** What the names were checked against: vendor documentation, a Debian package listing, … */
  source: z.string().min(10),
});
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

export const catalogueSchema = z.strictObject({
  version: z.literal(1),
  entries: z.array(catalogueEntrySchema).min(1),
});
export type Catalogue = z.infer<typeof catalogueSchema>;

/**
 * How many characters of a program's name the OS keeps where the monitor reads it: Linux's
 * `comm` holds 15, macOS's accounting name (`p_comm`, what `ps -o ucomm` shows) 16. Windows
 * reports the whole image name.
 */
export const COMM_LENGTH: Partial<Record<MonitoredOs, number>> = { linux: 15, darwin: 16 };

/**
 * The matching rule, in one place: programs are matched by the executable's file name from its
 * path where the OS gives one (never argv[0], which a program can fake), case-insensitively;
 * on Windows a trailing ".exe" is ignored. Linux cuts `comm` to 15 characters and macOS its
 * accounting name to 16 (COMM_LENGTH), so a name of exactly that length also matches any longer
 * catalogue name it begins.
 */
export function normaliseName(name: string, os: MonitoredOs): string {
  const lower = name.trim().toLowerCase();
  return os === 'win32' && lower.endsWith('.exe') ? lower.slice(0, -4) : lower;
}

/** What the monitor knows of a program it recognised. */
export interface Classification {
  friendlyName: string;
  category: ProcessCategory;
  action: ProcessAction;
}

/**
 * The catalogue with the exam policy applied: policy rules add programs or override the
 * catalogue's category and action; the policy's category actions set the rest. Assistive
 * technology in the catalogue is always allowed, whatever a rule says.
 */
export class ProgramClassifier {
  private readonly exact = new Map<string, Classification>();
  /** Longer names by their first COMM_LENGTH characters, for names the OS cut short. */
  private readonly byPrefix = new Map<string, Classification>();

  constructor(
    catalogue: Catalogue,
    policy: ExamPolicy['processes'],
    private readonly os: MonitoredOs,
  ) {
    const assistive = new Set<string>();
    for (const entry of catalogue.entries) {
      const action: ProcessAction =
        entry.category === 'assistive-technology'
          ? 'allow'
          : policy.categoryActions[entry.category];
      for (const name of entry.names[os] ?? []) {
        const key = normaliseName(name, os);
        if (entry.category === 'assistive-technology') assistive.add(key);
        this.add(key, { friendlyName: entry.friendlyName, category: entry.category, action });
      }
    }
    for (const rule of policy.rules) {
      if (rule.os && !rule.os.includes(os)) continue;
      for (const name of rule.names) {
        const key = normaliseName(name, os);
        if (assistive.has(key)) continue;
        this.add(key, {
          friendlyName: rule.friendlyName,
          category: rule.category,
          action: rule.category === 'assistive-technology' ? 'allow' : rule.action,
        });
      }
    }
  }

  /** The program behind an executable name, or null for a program the catalogue does not know. */
  classify(executable: string): Classification | null {
    const key = normaliseName(executable, this.os);
    const found = this.exact.get(key);
    if (found) return found;
    if (key.length === COMM_LENGTH[this.os]) return this.byPrefix.get(key) ?? null;
    return null;
  }

  private add(key: string, classification: Classification): void {
    this.exact.set(key, classification);
    const cut = COMM_LENGTH[this.os];
    if (cut !== undefined && key.length > cut) this.byPrefix.set(key.slice(0, cut), classification);
  }
}

/** Every Linux executable name the catalogue knows, for fingerprinting installed programs. */
export function linuxNames(catalogue: Catalogue): string[] {
  return [...new Set(catalogue.entries.flatMap((entry) => entry.names.linux ?? []))];
}
