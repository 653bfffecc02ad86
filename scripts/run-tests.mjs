#!/usr/bin/env node
// Runs every test under node's test runner. Node 20 finds no .ts test files by
// itself and does not expand quoted globs, so this script lists them, passes
// them explicitly, and fails the run when zero tests ran. It first builds
// the CLI bundle (scripts/build-cli.mjs), which the tests that spawn
// `vaultproof` run: the shipped bundle is what is tested; a failed build
// fails the run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildCli } from './build-cli.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const dirs = args.length > 0 ? args : ['test'];

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === 'fixtures' || e.name === 'artifacts') continue;
      walk(p, out);
    } else if (e.name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out;
}

const files = [];
for (const d of dirs) {
  const abs = path.resolve(root, d);
  if (fs.statSync(abs).isFile()) files.push(path.relative(root, abs));
  else walk(abs, files);
}
files.sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
try {
  await buildCli({ quiet: true });
} catch (e) {
  console.error(`run-tests: building the CLI failed — failing the run\n${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
console.error(`run-tests: ${files.length} test files (CLI built into build/cli)`);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.VAULTPROOF_TEST_CONCURRENCY ?? '2'}`, ...files],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VAULTPROOF_TEST: '1', VAULTPROOF_CLI_BUILT: '1' } },
);
// The summary lines (ℹ tests N …) come before the list of failures, which can
// be long, so they are caught line by line rather than read from a tail.
const summary = { tests: null, pass: null, fail: null };
let partial = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^ℹ (tests|pass|fail) (\d+)$/.exec(line.trim());
    if (m) summary[m[1]] = Number(m[2]);
  }
});
child.on('close', (code) => {
  const { tests, pass, fail } = summary;
  console.log(`\nrun-tests: ${pass ?? '?'} passed, ${fail ?? '?'} failed, ${tests ?? '?'} tests in ${files.length} files`);
  if (!tests) {
    console.error('run-tests: zero tests ran — failing the run');
    process.exit(1);
  }
  process.exit(code ?? 1);
});
