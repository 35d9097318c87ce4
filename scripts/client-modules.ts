/**
 * What the packed client needs from node_modules: only the modules its main process loads at
 * run time rather than bundling (native, ESM-only, or Electron-aware), and what they depend
 * on. Everything else — axios, zod, the crypto, plist — is bundled into out/main, and nothing
 * of the exam server (Fastify, pg, better-sqlite3, Kysely) is packed at all.
 */
export const CLIENT_EXTERNALS = [
  'electron-log',
  'electron-store',
  'electron-updater',
  'get-windows',
  'ps-list',
  'node-machine-id',
] as const;

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
}

/**
 * The node_modules folders (as package-lock paths) the externals need, resolved the way Node
 * resolves them: a nested copy first, then each parent folder's.
 */
export function clientModuleClosure(lock: { packages: Record<string, LockPackage> }): string[] {
  const found = new Set<string>();
  const resolveFrom = (from: string, name: string): string | null => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      const at = base.lastIndexOf('/node_modules/');
      if (base === '') return null;
      base = at === -1 ? '' : base.slice(0, at);
    }
  };
  const visit = (path: string) => {
    if (found.has(path)) return;
    found.add(path);
    const pkg = lock.packages[path]!;
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const dep = resolveFrom(path, name);
      if (dep) visit(dep);
    }
  };
  for (const name of CLIENT_EXTERNALS) {
    const path = resolveFrom('', name);
    if (!path) throw new Error(`${name} is not in package-lock.json`);
    visit(path);
  }
  return [...found].sort();
}
