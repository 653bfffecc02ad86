// Stages the app electron-builder packs (build/electron-builder.yml,
// directories.app): compiled JS from build/out, the built UI, assets, the
// icon, a package.json whose main is the compiled entry, and the CLI bundle
// (scripts/build-cli.mjs) in cli/, which `vaultproof-desktop --cli` runs
// (electron/main/cli-mode.ts). The bundle finds package.json, assets/ and
// renderer/ inside its own folder (see build-cli.mjs), so cli/ gets copies.
// node_modules are added by scripts/dist.mjs (npm ci --omit=dev in the stage), never copied
// from the repository, whose better-sqlite3 is built for Node, not Electron.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export function stageApp({
  stageDir = path.join(root, 'build', 'out', 'stage'),
  compiledDir = path.join(root, 'build', 'out'),
  rendererDir = path.join(root, 'build', 'out', 'renderer'),
  cliDir = path.join(root, 'build', 'cli'),
  dependencies = true,
} = {}) {
  const out = compiledDir;
  for (const need of [path.join(out, 'electron', 'main', 'index.js'), path.join(out, 'electron', 'preload', 'index.cjs'), path.join(rendererDir, 'index.html'), path.join(cliDir, 'electron', 'cli.js')]) {
    if (!fs.existsSync(need)) throw new Error(`stage: ${need} is missing (run scripts/build-main.mjs, scripts/build-cli.mjs and npm run build:renderer first)`);
  }
  fs.rmSync(stageDir, { recursive: true, force: true });
  fs.mkdirSync(stageDir, { recursive: true });
  fs.cpSync(path.join(out, 'electron'), path.join(stageDir, 'electron'), { recursive: true });
  fs.cpSync(path.join(out, 'shared'), path.join(stageDir, 'shared'), { recursive: true });
  fs.cpSync(rendererDir, path.join(stageDir, 'renderer'), { recursive: true });
  if (fs.existsSync(path.join(root, 'assets'))) fs.cpSync(path.join(root, 'assets'), path.join(stageDir, 'assets'), { recursive: true, dereference: true });
  fs.copyFileSync(path.join(root, 'build', 'icons', '512x512.png'), path.join(stageDir, 'icon.png'));
  const cliStage = path.join(stageDir, 'cli');
  for (const part of ['electron', 'chunks', 'package.json']) {
    if (fs.existsSync(path.join(cliDir, part))) fs.cpSync(path.join(cliDir, part), path.join(cliStage, part), { recursive: true });
  }
  if (fs.existsSync(path.join(root, 'assets'))) fs.cpSync(path.join(root, 'assets'), path.join(cliStage, 'assets'), { recursive: true, dereference: true });
  fs.cpSync(rendererDir, path.join(cliStage, 'renderer'), { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const staged = {
    name: pkg.name,
    productName: 'Vaultproof',
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    author: { name: 'Vaultproof contributors', email: 'vaultproof@example.invalid' },
    homepage: 'https://example.invalid/vaultproof',
    private: true,
    type: 'module',
    main: 'electron/main/index.js',
    // dependencies and devDependencies as in the lock file, so `npm ci` in the stage accepts it;
    // --omit=dev keeps only the production ones.
    ...(dependencies ? { dependencies: pkg.dependencies, devDependencies: pkg.devDependencies, overrides: pkg.overrides } : {}),
  };
  fs.writeFileSync(path.join(stageDir, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  if (dependencies) fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(stageDir, 'package-lock.json'));
  return stageDir;
}
