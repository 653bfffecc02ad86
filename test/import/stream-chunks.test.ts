/**
 * The streamed import reads a file a megabyte at a time into one buffer and
 * decodes an ASCII chunk as Latin-1, anything else with the UTF-8 decoder
 * (electron/core/import/index.ts fileChunks). Every element's raw text must
 * still be its bytes in the file, with multi-byte characters in ASCII-free
 * stretches, in chunks of their own and cut by a chunk's end, behind a BOM or
 * not; and the file's SHA-256 in provenance must be of the whole file, now
 * taken from the same read.
 */
import assert from 'node:assert/strict';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importFiles } from '../../electron/core/import/index.ts';
import { openStore } from '../../electron/core/store/store.ts';

const CHUNK = 1 << 20;

function item(i: number, name: string): string {
  const id = `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v1/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg;vm${i}/protectedItems/VM;iaasvmcontainerv2;rg;vm${i}`;
  return `{\n  "id": ${JSON.stringify(id)},\n  "name": "VM;iaasvmcontainerv2;rg;vm${i}",\n  "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",\n  "properties": {"friendlyName": ${JSON.stringify(name)}, "workloadType": "VM", "protectionState": "Protected", "padding": "${'x'.repeat(900)}"}\n}`;
}

/** About 3.5 MB: ASCII chunks, a chunk end falling inside "é" / "😀" / "€", and non-ASCII items through the third megabyte. */
function estate(bom: boolean): { bytes: Buffer; elements: string[] } {
  const elements: string[] = [];
  const parts = [`${bom ? '\ufeff' : ''}{"value": [`];
  let size = Buffer.byteLength(parts[0]!);
  let i = 0;
  const push = (name: string) => {
    const e = `${elements.length ? ',\n' : '\n'}${item(i++, name)}`;
    parts.push(e);
    size += Buffer.byteLength(e);
    elements.push(e.slice(e.indexOf('{')));
  };
  for (const [at, ch] of [[CHUNK, 'é'], [2 * CHUNK, '😀'], [3 * CHUNK, '€']] as const) {
    while (size < at - 1500) push(at >= 3 * CHUNK && i % 2 === 0 ? `vm-ü-${i}` : `vm-${i}`);
    // One item whose name's first multi-byte character starts one byte before the chunk's end.
    const before = size + Buffer.byteLength(`,\n${item(i, '').split('"friendlyName": ""')[0]}"friendlyName": "`);
    const pad = at - before - 1;
    assert.ok(pad >= 0);
    push(`${'p'.repeat(pad)}${ch}${ch}tail`);
  }
  while (size < 3.5 * CHUNK) push(`vm-${i}`);
  parts.push('\n]}\n');
  return { bytes: Buffer.from(parts.join(''), 'utf8'), elements };
}

describe('streamed import, chunk by chunk', () => {
  it('refuses a character cut at a chunk end when an ASCII chunk follows (not valid UTF-8)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-chunks-'));
    const saved = process.env.VAULTPROOF_STREAM_THRESHOLD;
    process.env.VAULTPROOF_STREAM_THRESHOLD = '1024';
    try {
      const { bytes } = estate(false);
      // The first megabyte ends in the first byte of "é" (0xC3); the rest of "éé" and the "😀😀" that ends the
      // second become ASCII, so the second chunk is all ASCII and must still go through the decoder.
      assert.equal(bytes[CHUNK - 1], 0xc3);
      bytes.fill(0x41, CHUNK, CHUNK + 3);
      bytes.fill(0x41, 2 * CHUNK - 1, 2 * CHUNK + 7);
      assert.ok(isAscii(bytes.subarray(CHUNK, 2 * CHUNK)));
      const file = path.join(dir, 'estate.json');
      fs.writeFileSync(file, bytes);
      const store = openStore(path.join(dir, 's.db'));
      try {
        await assert.rejects(importFiles(store, [file], { now: new Date('2026-11-24T00:00:00Z'), user: 't', asOf: '2026-11-20T08:00:00Z' }), /not valid UTF-8 text near byte 1048576\b/);
        assert.equal(store.db.prepare('SELECT count(*) FROM snapshots').pluck().get(), 0);
      } finally {
        store.close();
      }
    } finally {
      if (saved === undefined) delete process.env.VAULTPROOF_STREAM_THRESHOLD;
      else process.env.VAULTPROOF_STREAM_THRESHOLD = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const bom of [false, true]) {
    it(`keeps every element's bytes and hashes the whole file${bom ? ' (UTF-8 BOM)' : ''}`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-chunks-'));
      const saved = [process.env.VAULTPROOF_STREAM_THRESHOLD, process.env.VAULTPROOF_PARALLEL_THRESHOLD];
      // Streamed, and through the parallel writer (the texts handed over as UTF-8 bytes).
      process.env.VAULTPROOF_STREAM_THRESHOLD = '1024';
      process.env.VAULTPROOF_PARALLEL_THRESHOLD = '1';
      try {
        const { bytes, elements } = estate(bom);
        const text = bytes.toString('utf8');
        // The straddling characters really are cut by a chunk's end.
        for (const at of [CHUNK, 2 * CHUNK, 3 * CHUNK]) assert.ok((bytes[at]! & 0xc0) === 0x80, `byte ${at} is inside a character`);
        const file = path.join(dir, 'estate.json');
        fs.writeFileSync(file, bytes);
        const store = openStore(path.join(dir, 's.db'));
        try {
          const res = await importFiles(store, [file], { now: new Date('2026-11-24T00:00:00Z'), user: 't', asOf: '2026-11-20T08:00:00Z' });
          assert.equal(res.itemCount, elements.length);
          assert.equal(res.files[0]!.format, 'arm-list (streamed)');
          const prov = JSON.parse(store.db.prepare('SELECT provenance FROM snapshots WHERE id = ?').pluck().get(res.snapshotId) as string) as { files: Array<{ sha256: string; size: number }> };
          assert.deepEqual(prov.files[0], { ...prov.files[0], sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
          const raws = store.db.prepare('SELECT vp_item_raw(body) FROM items WHERE snapshot_id = ?').pluck().all(res.snapshotId) as string[];
          assert.deepEqual(raws.sort(), [...elements].sort());
          assert.ok(text.includes('ééta') && text.includes('😀😀ta') && text.includes('€€ta'));
        } finally {
          store.close();
        }
      } finally {
        for (const [k, v] of [['VAULTPROOF_STREAM_THRESHOLD', saved[0]], ['VAULTPROOF_PARALLEL_THRESHOLD', saved[1]]] as const) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
