import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * One violating fixture per import-boundary zone, linted through ESLint's API as if it sat at
 * the path given. Each must be reported by the named rule; the allowed imports must not be.
 */
const root = new URL('..', import.meta.url).pathname;
// The repository's own eslint.config.js, without type information: the boundary rules need
// none, and a TypeScript program per fixture made this file the suite's slowest but two.
const untyped = new ESLint({
  cwd: root,
  overrideConfig: [tseslint.configs.disableTypeChecked],
});
// With type information, for the one check that needs it; the fixture exists only as text, so
// the TypeScript project service gives it a default project.
const typed = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'src/*/lint-fixture.ts'] } },
    },
  },
});

async function ruleIdsFor(filePath: string, code: string, eslint = untyped): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const violations: [zone: string, filePath: string, code: string, rule: string][] = [
  [
    'common imports another folder of ours',
    'src/common/lint-fixture.ts',
    "import { x } from '../server/app';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'common imports a Node built-in',
    'src/common/lint-fixture.ts',
    "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    'import-x/no-nodejs-modules',
  ],
  [
    'common imports a Node built-in without the node: prefix',
    'src/common/lint-fixture.ts',
    "import { createHash } from 'crypto';\nexport const y = createHash;\n",
    'import-x/no-nodejs-modules',
  ],
  [
    'renderer imports Node',
    'src/renderer/lint-fixture.ts',
    "import { join } from 'node:path';\nexport const y = join;\n",
    'import-x/no-nodejs-modules',
  ],
  [
    'renderer imports main',
    'src/renderer/lint-fixture.ts',
    "import { x } from '../main/client-state';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'dashboard imports server',
    'src/dashboard/lint-fixture.ts',
    "import { x } from '../server/app';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'dashboard imports Node',
    'src/dashboard/lint-fixture.ts',
    "import { EventEmitter } from 'events';\nexport const y = EventEmitter;\n",
    'import-x/no-nodejs-modules',
  ],
  [
    'a main-process service imports electron',
    'src/main/lint-fixture.ts',
    "import { app } from 'electron';\nexport const y = app;\n",
    'no-restricted-imports',
  ],
  [
    'the server imports electron',
    'src/server/lint-fixture.ts',
    "import { app } from 'electron';\nexport const y = app;\n",
    'no-restricted-imports',
  ],
  [
    'server/db imports a repository',
    'src/server/db/lint-fixture.ts',
    "import { x } from '../repositories/audit';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'a repository imports a service',
    'src/server/repositories/lint-fixture.ts',
    "import { x } from '../sync/ingest';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'a service imports a route',
    'src/server/sync/lint-fixture.ts',
    "import { x } from '../routes/client';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'a route imports the CLI',
    'src/server/routes/lint-fixture.ts',
    "import { x } from '../cli/support';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'the preview imports main/electron',
    'src/preview/lint-fixture.ts',
    "import { x } from '../main/electron/vakt-app';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'main imports the preview',
    'src/main/lint-fixture.ts',
    "import { x } from '../preview/preview-client';\nexport const y = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'the renderer imports electron',
    'src/renderer/lint-fixture.ts',
    "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n",
    'no-restricted-imports',
  ],
];

describe('import boundaries', () => {
  it.each(violations)('reports: %s', async (_zone, filePath, code, rule) => {
    expect(await ruleIdsFor(filePath, code)).toContain(rule);
  });

  it.each([
    [
      'main/electron imports electron',
      'src/main/electron/lint-fixture.ts',
      "import { app } from 'electron';\nexport const y = app;\n",
    ],
    [
      'preload imports electron',
      'src/preload/lint-fixture.ts',
      "import { contextBridge } from 'electron';\nexport const y = contextBridge;\n",
    ],
    [
      'renderer imports common',
      'src/renderer/lint-fixture.ts',
      "import { canonicalJson } from '../common/canonical-json';\nexport const y = canonicalJson;\n",
    ],
    [
      'a service imports a repository and the db',
      'src/server/sync/lint-fixture.ts',
      "import { hotQuery } from '../db/hot-query';\nimport { latestAnswers } from '../repositories/answers';\n\nexport const y = [hotQuery, latestAnswers];\n",
    ],
    [
      'server imports common and Node',
      'src/server/lint-fixture.ts',
      "import { readFileSync } from 'node:fs';\n\nimport { canonicalJson } from '../common/canonical-json';\n\nexport const y = [readFileSync, canonicalJson];\n",
    ],
  ])('allows: %s', async (_name, filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual([]);
  });

  it('catches a floating promise in main', async () => {
    const code = 'async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n';
    expect(await ruleIdsFor('src/main/lint-fixture.ts', code, typed)).toContain(
      '@typescript-eslint/no-floating-promises',
    );
  });
});
