/**
 * The packed item body (electron/core/store/item-body.ts): lossless for any
 * pair of texts, the frozen dictionary unchanged, damage named.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BODY_DICTIONARY_1_BASE64 } from '../../electron/core/store/body-dictionary.ts';
import { itemBodyData, itemBodyRaw, packItemBody, unpackItemBody } from '../../electron/core/store/item-body.ts';

describe('item body format 1', () => {
  it('the dictionary is the frozen 8,192 bytes every stored body needs', () => {
    const dict = Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64');
    assert.equal(dict.length, 8192);
    assert.equal(createHash('sha256').update(dict).digest('hex'), 'fba6afa4bb1e9409b5790159abda2bd0870c8071a8927ba30cc15a9ed9a38c0e');
  });

  it('gives back both texts code unit for code unit, for any JSON-escaped data and any raw text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (value, rawA, rawB) => {
        // Canonical JSON escapes newlines; the raw text may hold any (here CRLF and lone newlines among any characters).
        const data = JSON.stringify(value) ?? 'null';
        const raw = `${rawA}\r\n${rawB}\n`;
        const body = packItemBody(data, raw);
        assert.deepEqual(unpackItemBody(body), { data, raw: Buffer.from(raw, 'utf8').toString('utf8') });
        assert.equal(itemBodyData(body), data);
        assert.equal(itemBodyRaw(body), Buffer.from(raw, 'utf8').toString('utf8'));
      }),
      { numRuns: 300 },
    );
  });

  it('is the documented bytes: format byte 1, then raw DEFLATE of "data \\n raw" with the dictionary', () => {
    const body = packItemBody('{"a":1}', ' {"a" : 1}\n');
    assert.equal(body[0], 1);
    const text = zlib.inflateRawSync(body.subarray(1), { dictionary: Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64') });
    assert.equal(text.toString('utf8'), '{"a":1}\n {"a" : 1}\n');
    // Text the dictionary holds is written as references into it: without the dictionary it does not inflate.
    const dict = Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64');
    const seen = dict.subarray(dict.length - 400).toString('latin1').replace(/[^ -~]/g, ' ');
    const packed = packItemBody('{}', seen);
    assert.ok(packed.length < 100, `${packed.length} bytes for 400 the dictionary holds`);
    assert.throws(() => zlib.inflateRawSync(packed.subarray(1)));
    assert.equal(unpackItemBody(packed).raw, seen);
  });

  it('a real item packs to a fraction of its text', () => {
    const raw = JSON.stringify({ id: '/subscriptions/38304e13-357e-405e-9e9a-220351dcce8c/resourceGroups/hiagarg/providers/Microsoft.RecoveryServices/vaults/hiagaVault/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;hiagarg;vm1/protectedItems/VM;iaasvmcontainerv2;hiagarg;vm1', properties: { friendlyName: 'vm1', protectionState: 'Protected', lastBackupStatus: 'Completed', workloadType: 'VM', backupManagementType: 'AzureIaasVM' } }, null, 2);
    const body = packItemBody('{"name":"vm1"}', raw);
    assert.ok(body.length * 3 < raw.length, `${body.length} bytes for ${raw.length}`);
  });

  it('refuses what it cannot keep apart, and names a damaged or unknown body', () => {
    assert.throws(() => packItemBody('{"a":\n1}', '{}'), /raw newline/);
    const body = packItemBody('{"a":1}', '{"a":1}');
    assert.throws(() => unpackItemBody(Buffer.concat([Buffer.from([2]), body.subarray(1)])), /item body format 2 is unknown/);
    assert.throws(() => unpackItemBody(body.subarray(0, 1)), /not a packed body/);
    assert.throws(() => unpackItemBody(Buffer.from([1, 0xff, 0xff, 0xff, 0xff])), /does not inflate/);
    const noNewline = Buffer.concat([Buffer.from([1]), zlib.deflateRawSync(Buffer.from('{}'), { dictionary: Buffer.from(BODY_DICTIONARY_1_BASE64, 'base64') })]);
    assert.throws(() => unpackItemBody(noNewline), /no newline/);
  });
});
