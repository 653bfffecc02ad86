// Lint with import boundaries: each folder is one runtime, and this file enforces it.
//   shared/            imports nothing of ours outside shared/, and no node:* / electron
//   electron/core/     never imports electron (plain Node engine)
//   electron/main|preload are the only files that import electron
//   renderer/          never imports node:* or electron/ (of ours or the package)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'url', 'util', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/out/**', 'dist/**', 'test/fixtures/**', 'test/artifacts/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['shared/**/*.ts', 'shared/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'shared/ runs anywhere: no Node built-ins.' },
          { group: ['electron', 'electron/*'], message: 'shared/ never imports electron.' },
          { group: ['**/electron/**', '**/renderer/**', '../../electron*', '../../renderer*', '../../../electron*', '../../../renderer*'], message: 'shared/ imports nothing of ours outside shared/.' },
        ],
      }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli.ts', 'electron/cli/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only electron/main and electron/preload import electron; the core is plain Node.' }],
        patterns: [{ group: ['electron/*', '**/electron/main/**', '**/electron/preload/**', '**/renderer/**'], message: 'The core never imports the Electron shell or the renderer.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to main only through window.vaultproof.' }],
        patterns: [
          { group: nodeBuiltins, message: 'The renderer never imports Node built-ins.' },
          { group: ['**/electron/**', '../electron*', '../../electron*'], message: 'The renderer never imports electron/ (use the transport).' },
        ],
      }],
    },
  },
);
