// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * Import boundaries (DESIGN.md "The parts"): imports flow one way. Each zone is one rule
 * entry; test/lint-boundaries.test.ts lints one violating fixture per zone.
 */
/** The server's services, between the repositories below and the routes and CLI above. */
const SERVER_SERVICES = [
  './src/server/sync',
  './src/server/hand-in',
  './src/server/auth',
  './src/server/live',
  './src/server/privacy',
  './src/server/exams',
];
const SERVER_FACES = ['./src/server/routes', './src/server/cli'];

const ELECTRON_MESSAGE =
  'Only src/main/electron and src/preload import electron; services take Electron objects as parameters.';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      '.tools/',
      'coverage/',
      'test/fixtures/',
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.node.json', 'tsconfig.web.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          'newlines-between': 'always',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
      'import-x/no-duplicates': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/common',
              from: './src',
              except: ['./common'],
              message: 'src/common imports nothing of ours outside src/common.',
            },
            {
              target: ['./src/renderer', './src/dashboard'],
              from: ['./src/main', './src/server', './src/preload'],
              message: 'The renderer and the dashboard import src/common and browser code only.',
            },
            {
              target: ['./src/main', './src/preload', './src/server'],
              from: ['./src/renderer', './src/dashboard'],
              message: 'Node code does not import the DOM code.',
            },
            {
              target: './src/server',
              from: ['./src/main', './src/preload'],
              message:
                'The server does not import client code; shared contracts live in src/common.',
            },
            // Inside the server, layers (docs/server.md): db, then repositories, then the
            // services, then routes; the CLI on top. Each imports only what is below it.
            {
              target: './src/server/db',
              from: [...SERVER_SERVICES, './src/server/repositories', ...SERVER_FACES],
              message: 'src/server/db is the bottom layer: it imports no other part of the server.',
            },
            {
              target: './src/server/repositories',
              from: [...SERVER_SERVICES, ...SERVER_FACES],
              message: 'Repositories read and write tables; services use them, never the reverse.',
            },
            {
              target: SERVER_SERVICES,
              from: SERVER_FACES,
              message:
                'Services do not import routes or the CLI: those translate to service calls.',
            },
            {
              target: './src/server/routes',
              from: './src/server/cli',
              message: 'Routes do not import the CLI.',
            },
            {
              target: './src/preview',
              from: ['./src/server', './src/renderer', './src/dashboard', './src/main/electron'],
              message:
                'The preview runs the client services in plain Node: src/main (not main/electron) and src/common.',
            },
            {
              target: [
                './src/common',
                './src/main',
                './src/preload',
                './src/server',
                './src/renderer',
                './src/dashboard',
              ],
              from: './src/preview',
              message: 'Nothing that ships imports the preview.',
            },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: ELECTRON_MESSAGE }] },
      ],
    },
  },
  {
    // No Node built-ins where the code must also run in a browser.
    files: ['src/common/**', 'src/renderer/**', 'src/dashboard/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
  {
    // The only main-process code allowed to import electron.
    files: ['src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // expect.objectContaining() and friends are typed `any` by design.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
