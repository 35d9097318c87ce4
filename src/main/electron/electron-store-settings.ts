import { settingsSchema, type ClientSettings, type SettingsStore } from '../settings';

/**
 * The part of an electron-store instance the adapter uses. electron-store only loads inside
 * Electron, so the composition root creates it (`new Store()`) and passes it in; tests pass a
 * Map-backed fake.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const KEY = 'settings';

/** Settings kept by electron-store, validated on the way in and out like the file store. */
export class ElectronStoreSettings implements SettingsStore {
  constructor(private readonly store: KeyValueStore) {}

  read(): Promise<ClientSettings> {
    const parsed = settingsSchema.safeParse(this.store.get(KEY) ?? {});
    return Promise.resolve(parsed.success ? parsed.data : settingsSchema.parse({}));
  }

  async update(changes: Partial<ClientSettings>): Promise<ClientSettings> {
    const next = settingsSchema.parse({ ...(await this.read()), ...changes });
    this.store.set(KEY, next);
    return next;
  }
}
