/**
 * `vaultproof pack`, `verify`, `cosign`: evidence packs (packs.* methods).
 */
import type { PackVerifyResult, SignerChoice } from '../../shared/contract/methods/packs.ts';
import { stratifyValues } from '../../shared/contract/methods/analysis.ts';
import { createCoreContext } from '../core/context.ts';
import { UserError } from '../core/errors.ts';
import { call, listArg, printJson, requirePositionals, strArg, withCore } from './run.ts';
import type { CliIo, CommandRuns, ParsedArgs } from './types.ts';
import { passphraseFrom } from './passphrase.ts';

function signerFrom(args: ParsedArgs): SignerChoice {
  const p12 = strArg(args, 'sign-p12');
  const self = args.values['sign-self-signed'] === true;
  if (p12 && self) throw new UserError('BAD_INPUT', 'give either --sign-p12 FILE or --sign-self-signed, not both');
  if (!p12 && !self) throw new UserError('BAD_INPUT', 'say how to sign: --sign-p12 FILE (an organisation PKCS#12) or --sign-self-signed (a local identity in the store folder)');
  if (p12) return { kind: 'p12', file: p12 };
  const identity = strArg(args, 'identity');
  const commonName = strArg(args, 'signer-name');
  const email = strArg(args, 'signer-email');
  return { kind: 'local', ...(identity ? { identity } : {}), ...(commonName ? { commonName } : {}), ...(email ? { email } : {}) };
}

function parseSample(text: string | undefined): { seed: string; size: number; stratify?: (typeof stratifyValues)[number] } | undefined {
  if (text === undefined) return undefined;
  const m = /^(.+):(\d+)(?::([a-z]+))?$/.exec(text);
  if (!m) throw new UserError('BAD_INPUT', `--sample ${JSON.stringify(text)}: expected SEED:N (e.g. audit-2025:25), optionally :workload|vault|severity`);
  const stratify = m[3];
  if (stratify !== undefined && !(stratifyValues as readonly string[]).includes(stratify)) throw new UserError('BAD_INPUT', `--sample: stratify must be one of ${stratifyValues.join(', ')}`);
  return { seed: m[1]!, size: Number(m[2]), ...(stratify ? { stratify: stratify as (typeof stratifyValues)[number] } : {}) };
}

export function printVerify(io: CliIo, r: PackVerifyResult, location: string): void {
  if (r.kind === 'pdf') io.stdout(`report ${location} (a lone PDF: its embedded signature only)\n`);
  else io.stdout(`pack ${r.packId ?? '(unknown)'}${r.createdAt ? `, created ${r.createdAt}` : ''}${r.toolVersion ? ` by Vaultproof ${r.toolVersion}` : ''}\n  ${location}\n`);
  for (const s of r.signatures) {
    const who = s.subject ? ` — ${s.subject}` : '';
    const when = s.signingTime ? `, signed ${s.signingTime}${s.timeSource === 'rfc3161' && s.timestamp ? ` (RFC 3161 timestamp by ${s.timestamp.tsa}, TSA trusted)` : " (signer's own clock)"}` : '';
    const role = s.role === 'pdf' ? 'report.pdf embedded signature' : `${s.file} (${s.role})`;
    io.stdout(`  ${role}: ${s.status}${who}${when}\n`);
    if (s.fingerprint) io.stdout(`    SHA-256 ${s.fingerprint}\n`);
    if (s.valid && !s.trusted && s.trustReason) io.stdout(`    trust: ${s.trustReason}\n`);
  }
  if (r.kind === 'pack') io.stdout(`  files: ${r.files.matching} of ${r.files.checked} match the manifest\n`);
  for (const s of r.snapshots) io.stdout(`  snapshot ${s.id} (${s.role}): content hash ${!s.ok ? 'DOES NOT MATCH' : s.redacted ? 'not recomputed (principals redacted; see the warning)' : 'recomputed and matching'}\n`);
  for (const w of r.warnings) io.stdout(`  warning: ${w}\n`);
  for (const p of r.predates) io.stdout(`  made before a newer check: ${p}\n`);
  const what = r.kind === 'pdf' ? 'the report' : 'the pack';
  if (!r.intact) {
    const f = r.firstFailure!;
    io.stdout(`FAILED: ${f.file}: ${f.reason}\n`);
    for (const x of r.failures.slice(1, 10)) io.stdout(`  also: ${x.file}: ${x.reason}\n`);
    if (r.failures.length > 10) io.stdout(`  and ${r.failures.length - 10} more (--json lists all)\n`);
  } else if (!r.ok) io.stdout(`FAILED: ${what} is intact, but a signer does not chain to ${r.trustRequired && r.signatures.length ? 'any --trust anchor given' : 'a trust anchor'}\n`);
  else io.stdout(`OK: intact${r.allSignersTrusted ? ', every signer trusted' : ' (signers not trusted: no --trust anchor given)'}\n`);
}

export const runs: CommandRuns = {
  async 'pack'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const out = strArg(args, 'out');
    if (!out) throw new UserError('BAD_INPUT', `--out DIR is required; usage: vaultproof ${this.usage}`);
    const signer = signerFrom(args);
    const appendix = strArg(args, 'appendix');
    if (appendix !== undefined && !/^\d+$/.test(appendix)) throw new UserError('BAD_INPUT', '--appendix must be a number of items');
    const sample = parseSample(strArg(args, 'sample'));
    const passphrase = await passphraseFrom(args, signer.kind === 'p12' ? signer.file : `local identity "${signer.identity ?? 'local'}"`);
    const json = args.values.json === true;
    const input = {
      snapshot,
      out,
      signer,
      passphrase,
      ...(strArg(args, 'compare') ? { compare: strArg(args, 'compare') } : {}),
      ...(strArg(args, 'profile') ? { profile: strArg(args, 'profile') } : {}),
      ...(strArg(args, 'ratecard') ? { ratecard: strArg(args, 'ratecard') } : {}),
      ...(strArg(args, 'sizes') ? { sizes: strArg(args, 'sizes') } : {}),
      ...(sample ? { sample } : {}),
      ...(args.values.zip ? { zip: true } : {}),
      ...(strArg(args, 'tsa') ? { tsa: strArg(args, 'tsa') } : {}),
      ...(appendix !== undefined ? { appendixCap: Number(appendix) } : {}),
      ...(args.values['redact-principals'] ? { redactPrincipals: true } : {}),
    };
    const r = await withCore(args, (core) => call(core, 'packs.build', input, json ? undefined : io));
    if (json) await printJson(io, r);
    else {
      io.stdout(`pack ${r.packId}: ${r.path}\n  snapshot ${r.snapshotId}${r.baselineId ? ` compared with ${r.baselineId}` : ''}, ${r.itemCount} items, ${r.complete ? 'complete' : 'INCOMPLETE collection'}\n`);
      io.stdout(`  signed by ${r.signer.subject}${r.signer.identityCreated ? ' (new local identity)' : ''}\n`);
      if (r.signer.caPath) io.stdout(`  readers who trust ${r.signer.caPath} see the signer as trusted (vaultproof verify PACK --trust ${r.signer.caPath})\n`);
      io.stdout(r.timestamp ? `  timestamp ${r.timestamp.genTime} by ${r.timestamp.tsa}\n` : "  signing time: the signer's clock (no --tsa)\n");
      io.stdout(`  manifest SHA-256 ${r.manifestSha256}\n`);
      for (const n of r.notes) io.stderr(`note: ${n}\n`);
    }
    return 0;
  },
  async 'verify'(args, io) {
    const [location] = requirePositionals(args, 1, this.usage);
    // verify never opens a store (the context opens it lazily): a reader without Vaultproof data can run it.
    const core = createCoreContext();
    const r = await call(core, 'packs.verify', { path: location, trust: listArg(args, 'trust'), trustTsa: listArg(args, 'trust-tsa'), requireTrusted: args.values['require-trusted'] === true });
    if (args.values.json) await printJson(io, r);
    else printVerify(io, r, location!);
    if (!r.ok) {
      if (args.values.json) io.stderr(`${JSON.stringify({ error: { code: 'VERIFY_FAILED', message: r.firstFailure ? `${r.firstFailure.file}: ${r.firstFailure.reason}` : 'a signer does not chain to a --trust anchor', file: r.firstFailure?.file } })}\n`);
      return 3;
    }
    return 0;
  },
  async 'cosign'(args, io) {
    const [location] = requirePositionals(args, 1, this.usage);
    const role = strArg(args, 'role') ?? 'reviewer';
    if (role !== 'reviewer') throw new UserError('BAD_INPUT', `--role ${role}: only "reviewer" is supported (the preparer signs when the pack is built)`);
    const signer = signerFrom(args);
    const passphrase = await passphraseFrom(args, signer.kind === 'p12' ? signer.file : `local identity "${signer.identity ?? 'local'}"`);
    const tsa = strArg(args, 'tsa');
    const r = await withCore(args, (core) => call(core, 'packs.cosign', { path: location, signer, passphrase, role: 'reviewer', ...(tsa ? { tsa } : {}) }));
    if (args.values.json) await printJson(io, r);
    else io.stdout(`${r.file} added to ${r.path}\n  reviewer ${r.signer.subject}\n${r.timestamp ? `  timestamp ${r.timestamp.genTime} by ${r.timestamp.tsa}\n` : ''}`);
    return 0;
  },
};
