// Lint with import boundaries: each folder is one runtime, and the rule in
// eslint/import-runtime.js enforces it for every import, npm packages included
// (the table of folders and packages is eslint/runtimes.js):
//   shared/                 runs anywhere: no Node, no DOM, no electron, nothing of ours outside shared/
//   electron/core, cli, test, scripts   Node: never electron, never the shell or the renderer
//   electron/main|preload   the only files that import electron
//   renderer/               the browser: never node:*, never electron/ (of ours or the package)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { plugin } from './eslint/import-runtime.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/out/**', 'build/cli/**', 'dist/**', 'test/fixtures/**', 'test/artifacts/**', '.tmp/**'] },
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
    // Every import placed by runtime: see eslint/runtimes.js for the folders and the package table.
    plugins: { vaultproof: plugin },
    rules: { 'vaultproof/import-runtime': 'error' },
  },
);
