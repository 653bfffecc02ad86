import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, tempDir } from '../harness/cli.ts';
import { writeEstateFile } from '../harness/estate.ts';

describe('a 200 MB export', () => {
  it('imports as a stream with peak memory under 1 GB', async () => {
    const dir = tempDir('vp-large-');
    const file = path.join(dir, 'big.json');
    try {
      const items = 125_000; // ~1.7 KB each as the service formats them: just over 200 MB
      {
        const { bytes } = await writeEstateFile(file, { items });
        assert.ok(bytes >= 200 * 1024 * 1024, `generated ${bytes} bytes`);
        const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'harness', 'import-rss.ts'), file], {
          cwd: repoRoot,
          env: { ...process.env, VAULTPROOF_STORE: path.join(dir, 's.db') },
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { itemCount: number; maxRssMb: number; files: Array<{ format: string }> };
        assert.equal(out.itemCount, items);
        assert.equal(out.files[0]!.format, 'arm-list (streamed)');
        assert.ok(out.maxRssMb < 1024, `peak RSS ${out.maxRssMb} MB`);
        process.stderr.write(`# 200 MB import: peak RSS ${out.maxRssMb} MB\n`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
