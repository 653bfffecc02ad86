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
import { folders, runtimeWords } from './eslint/runtimes.js';

// Globals follow the runtime too: shared/ may use neither process nor window, the renderer no
// process, the engine no document. (typescript-eslint turns no-undef off for .ts files, where
// the Node types declare both, so the runtime globals are forbidden by name.)
const nodeGlobals = ['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'global', 'setImmediate'];
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'];
const forbiddenGlobals = { anywhere: [...nodeGlobals, ...domGlobals], node: domGlobals, electron: domGlobals, dom: nodeGlobals };
// Data entries (package.json) are left out: naming a file in `files` would make ESLint parse it as code.
const codeFolders = folders.filter(([p]) => p.endsWith('/') || /\.(ts|tsx|js|mjs|cjs)$/.test(p));
const globOf = (p) => (p.endsWith('/') ? `${p}**` : p);

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
  // First match wins in the table, as in the import rule: each block leaves out the entries before it.
  ...codeFolders.map(([prefix, runtime], i) => ({
    files: [globOf(prefix)],
    ignores: codeFolders.slice(0, i).map(([p]) => globOf(p)),
    rules: {
      'no-restricted-globals': ['error', ...forbiddenGlobals[runtime].map((name) => ({ name, message: `${prefix} runs ${runtimeWords[runtime]}, where there is no ${name} (eslint/runtimes.js).` }))],
    },
  })),
  {
    // Every import placed by runtime: see eslint/runtimes.js for the folders and the package table.
    plugins: { vaultproof: plugin },
    rules: { 'vaultproof/import-runtime': 'error' },
  },
);
