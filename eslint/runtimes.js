// Where each part of the tree runs, and where each package can run: the one
// table the import-runtime rule (import-runtime.js) reads. A new package is a
// lint error until it is placed here; a new top-level folder too.

/**
 * What a file may import, by the runtime of its folder:
 *   anywhere  - shared/: plain JavaScript only, so it runs in Node, the browser and Electron alike
 *   node      - the engine, the CLI, tests, scripts and build config
 *   electron  - Electron's main and preload: Node plus the electron package
 *   dom       - the renderer: the browser, no Node
 * @type {Record<string, readonly string[]>}
 */
export const allowedClasses = {
  anywhere: ['anywhere'],
  node: ['anywhere', 'node'],
  electron: ['anywhere', 'node', 'electron'],
  dom: ['anywhere', 'dom'],
};

/** @type {Record<string, string>} */
export const runtimeWords = {
  anywhere: 'anywhere (no Node, DOM or Electron)',
  node: 'on Node',
  electron: "in Electron's main or preload process",
  dom: 'in the browser (no Node)',
};

/**
 * Folder (ending in /) or file, relative to the repository root, and its
 * runtime. The first match wins, so a file listed before its folder overrides it.
 * @type {ReadonlyArray<readonly [string, keyof typeof allowedClasses]>}
 */
export const folders = [
  // Vite's config is read by Node at build time, not shipped to the window.
  ['renderer/vite.config.ts', 'node'],
  ['renderer/', 'dom'],
  ['shared/', 'anywhere'],
  ['electron/main/', 'electron'],
  ['electron/preload/', 'electron'],
  ['electron/core/', 'node'],
  ['electron/cli/', 'node'],
  ['electron/cli.ts', 'node'],
  ['test/', 'node'],
  ['scripts/', 'node'],
  ['bin/', 'node'],
  ['build/', 'node'],
  ['eslint/', 'node'],
  ['eslint.config.js', 'node'],
  // Data files (rate cards, profiles, fonts): read, never run.
  ['assets/', 'anywhere'],
  ['package.json', 'anywhere'],
];

/**
 * Every package the code imports, by where it can run. Node built-ins
 * (node:* and their bare names) are node without being listed.
 *   anywhere - pure JavaScript, no Node or DOM API
 *   node     - needs Node (native addons, fs, streams, sockets) or is a build/test tool
 *   dom      - needs a document or is the UI framework
 *   electron - Electron's own API: only main and preload
 * @type {Record<string, 'anywhere' | 'node' | 'dom' | 'electron'>}
 */
export const packages = {
  zod: 'anywhere',
  canonicalize: 'anywhere',
  'fast-check': 'anywhere',

  'better-sqlite3': 'node',
  '@azure/identity': 'node',
  '@azure/arm-recoveryservices': 'node',
  '@azure/arm-recoveryservicesbackup': 'node',
  '@azure/arm-resourcegraph': 'node',
  '@azure/core-client': 'node',
  '@azure/core-rest-pipeline': 'node',
  '@signpdf/signpdf': 'node',
  pdfkit: 'node',
  exceljs: 'node',
  'node-forge': 'node',
  'csv-parse': 'node',
  yauzl: 'node',
  yazl: 'node',
  tsx: 'node',
  esbuild: 'node',
  vite: 'node',
  '@vitejs/plugin-react': 'node',
  'playwright-core': 'node',
  '@electron/asar': 'node',
  'electron-builder': 'node',
  eslint: 'node',
  '@eslint/js': 'node',
  'typescript-eslint': 'node',
  typescript: 'node',
  // TypeScript 7 (native) under an npm alias: npm run typecheck.
  typescript7: 'node',

  react: 'dom',
  'react-dom': 'dom',
  '@fluentui/react-components': 'dom',
  '@fluentui/react-icons': 'dom',
  '@tanstack/react-table': 'dom',
  '@tanstack/react-virtual': 'dom',
  'axe-core': 'dom',

  electron: 'electron',
};
