/**
 * Evidence packs on the command line: pack, verify, cosign, identities, demo.
 * Passphrases come from an environment variable (--passphrase-env VAR) or,
 * on a terminal, from a prompt that does not echo; never from an argument.
 */
import type { PackVerifyResult, SignerChoice } from '../../shared/contract/methods/packs.ts';
import { stratifyValues } from '../../shared/contract/methods/analysis.ts';
import { createCoreContext } from '../core/context.ts';
import { UserError } from '../core/errors.ts';
import { passphraseFromEnv } from '../core/packs/sign/identity.ts';
import { call, listArg, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CliCommand, CliIo, ParsedArgs } from './types.ts';

const signerOptions = {
  'sign-p12': { type: 'string' },
  'sign-self-signed': { type: 'boolean' },
  identity: { type: 'string' },
  'signer-name': { type: 'string' },
  'signer-email': { type: 'string' },
  'passphrase-env': { type: 'string' },
  tsa: { type: 'string' },
} as const;

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

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const finish = (err: Error | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n' || c === '\u0004') return finish(null);
        if (c === '\u0003') return finish(new UserError('CANCELLED', 'cancelled'));
        if (c === '\u007f' || c === '\b') value = value.slice(0, -1);
        else value += c;
      }
    };
    stdin.on('data', onData);
  });
}

async function passphraseFrom(args: ParsedArgs, what: string): Promise<string> {
  const env = strArg(args, 'passphrase-env');
  if (env) return passphraseFromEnv(env);
  if (process.stdin.isTTY) {
    const p = await promptHidden(`Passphrase for ${what}: `);
    if (!p) throw new UserError('BAD_INPUT', 'an empty passphrase is not allowed');
    return p;
  }
  throw new UserError('BAD_INPUT', 'no passphrase: name the environment variable that holds it with --passphrase-env VAR (it is never taken as an argument)');
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
  io.stdout(`pack ${r.packId ?? '(unknown)'}${r.createdAt ? `, created ${r.createdAt}` : ''}${r.toolVersion ? ` by Vaultproof ${r.toolVersion}` : ''}\n  ${location}\n`);
  for (const s of r.signatures) {
    const who = s.subject ? ` — ${s.subject}` : '';
    const when = s.signingTime ? `, signed ${s.signingTime}${s.timestamp ? ` (RFC 3161 timestamp by ${s.timestamp.tsa}${s.timestamp.trusted ? ', trusted' : ', TSA not trusted'})` : " (signer's clock)"}` : '';
    const role = s.role === 'pdf' ? 'report.pdf embedded signature' : `${s.file} (${s.role})`;
    io.stdout(`  ${role}: ${s.status}${who}${when}\n`);
    if (s.valid && !s.trusted && s.trustReason) io.stdout(`    trust: ${s.trustReason}\n`);
  }
  io.stdout(`  files: ${r.files.matching} of ${r.files.checked} match the manifest\n`);
  for (const s of r.snapshots) io.stdout(`  snapshot ${s.id} (${s.role}): content hash ${s.ok ? 'recomputed and matching' : 'DOES NOT MATCH'}\n`);
  for (const w of r.warnings) io.stdout(`  warning: ${w}\n`);
  if (!r.intact) {
    const f = r.firstFailure!;
    io.stdout(`FAILED: ${f.file}: ${f.reason}\n`);
    for (const x of r.failures.slice(1, 10)) io.stdout(`  also: ${x.file}: ${x.reason}\n`);
  } else if (!r.ok) io.stdout('FAILED: the pack is intact, but a signer is not trusted (--require-trusted)\n');
  else io.stdout(`OK: intact${r.allSignersTrusted ? ', every signer trusted' : ''}\n`);
}

export const packCommands: CliCommand[] = [
  {
    name: 'pack',
    summary: 'Build a signed evidence pack (report.pdf, workbook.xlsx, data/, manifest + signature)',
    usage:
      'pack SNAPSHOT [--compare BASELINE] [--profile FILE] [--ratecard FILE] [--sizes ID] [--sample SEED:N] --out DIR [--zip] (--sign-p12 FILE | --sign-self-signed [--identity NAME] [--signer-name NAME] [--signer-email EMAIL]) --passphrase-env VAR [--tsa URL] [--appendix N] [--store PATH] [--json]',
    options: {
      ...signerOptions,
      compare: { type: 'string' },
      profile: { type: 'string' },
      ratecard: { type: 'string' },
      sizes: { type: 'string' },
      sample: { type: 'string' },
      out: { type: 'string' },
      zip: { type: 'boolean' },
      appendix: { type: 'string' },
    },
    async run(args, io) {
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
        ...(sample ? { sample: { seed: sample.seed, size: sample.size } } : {}),
        ...(args.values.zip ? { zip: true } : {}),
        ...(strArg(args, 'tsa') ? { tsa: strArg(args, 'tsa') } : {}),
        ...(appendix !== undefined ? { appendixCap: Number(appendix) } : {}),
      };
      const r = await withCore(args, (core) => call(core, 'packs.build', input, json ? undefined : io));
      if (json) printJson(io, r);
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
  },
  {
    name: 'verify',
    summary: 'Verify an evidence pack (folder or zip): signatures, every file hash, the PDF signature, snapshot hashes',
    usage: 'verify PACK [--trust CA.pem ...] [--require-trusted] [--json]',
    options: { trust: { type: 'string', multiple: true }, 'require-trusted': { type: 'boolean' } },
    async run(args, io) {
      const [location] = requirePositionals(args, 1, this.usage);
      // verify never opens a store (the context opens it lazily): a reader without Vaultproof data can run it.
      const core = createCoreContext();
      const r = await call(core, 'packs.verify', { path: location, trust: listArg(args, 'trust'), requireTrusted: args.values['require-trusted'] === true });
      if (args.values.json) printJson(io, r);
      else printVerify(io, r, location!);
      if (!r.ok) {
        if (args.values.json) io.stderr(`${JSON.stringify({ error: { code: 'VERIFY_FAILED', message: r.firstFailure ? `${r.firstFailure.file}: ${r.firstFailure.reason}` : 'a signer is not trusted', file: r.firstFailure?.file } })}\n`);
        return 3;
      }
      return 0;
    },
  },
  {
    name: 'cosign',
    summary: 'Add a reviewer signature (manifest.reviewer.p7s) to a pack that verifies intact',
    usage: 'cosign PACK (--sign-p12 FILE | --sign-self-signed [--identity NAME]) --passphrase-env VAR --role reviewer [--tsa URL] [--store PATH] [--json]',
    options: { ...signerOptions, role: { type: 'string' } },
    async run(args, io) {
      const [location] = requirePositionals(args, 1, this.usage);
      const role = strArg(args, 'role') ?? 'reviewer';
      if (role !== 'reviewer') throw new UserError('BAD_INPUT', `--role ${role}: only "reviewer" is supported (the preparer signs when the pack is built)`);
      const signer = signerFrom(args);
      const passphrase = await passphraseFrom(args, signer.kind === 'p12' ? signer.file : `local identity "${signer.identity ?? 'local'}"`);
      const tsa = strArg(args, 'tsa');
      const r = await withCore(args, (core) => call(core, 'packs.cosign', { path: location, signer, passphrase, role: 'reviewer', ...(tsa ? { tsa } : {}) }));
      if (args.values.json) printJson(io, r);
      else io.stdout(`${r.file} added to ${r.path}\n  reviewer ${r.signer.subject}\n${r.timestamp ? `  timestamp ${r.timestamp.genTime} by ${r.timestamp.tsa}\n` : ''}`);
      return 0;
    },
  },
  {
    name: 'identities',
    summary: 'List the local signing identities kept (encrypted) in the store folder',
    usage: 'identities [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const list = await withCore(args, (core) => call(core, 'identities.list', {}));
      if (args.values.json) printJson(io, list);
      else if (list.length === 0) io.stdout('no local identity yet — `vaultproof identities create NAME --signer-name "Your Name" --passphrase-env VAR`, or pack --sign-self-signed\n');
      else io.stdout(table(list.map((i) => ({ name: i.name, subject: i.subject, notAfter: i.notAfter.slice(0, 10), ca: i.caPath })), ['name', 'subject', 'notAfter', 'ca']));
      return 0;
    },
  },
  {
    name: 'identities create',
    summary: 'Create a local signing identity: a local CA and a signing certificate, kept as an encrypted PKCS#12',
    usage: 'identities create NAME --signer-name NAME [--signer-email EMAIL] [--organisation ORG] --passphrase-env VAR [--store PATH] [--json]',
    options: { 'signer-name': { type: 'string' }, 'signer-email': { type: 'string' }, organisation: { type: 'string' }, 'passphrase-env': { type: 'string' } },
    async run(args, io) {
      const [name] = requirePositionals(args, 1, this.usage);
      const commonName = strArg(args, 'signer-name');
      if (!commonName) throw new UserError('BAD_INPUT', '--signer-name is required (the name on the certificate)');
      const passphrase = await passphraseFrom(args, `the new identity "${name}"`);
      const email = strArg(args, 'signer-email');
      const org = strArg(args, 'organisation');
      const r = await withCore(args, (core) => call(core, 'identities.create', { name, commonName, passphrase, ...(email ? { email } : {}), ...(org ? { organisation: org } : {}) }));
      if (args.values.json) printJson(io, r);
      else io.stdout(`identity ${r.name}: ${r.subject}\n  key (encrypted): ${r.p12Path}\n  CA certificate to give readers: ${r.caPath}\n  SHA-256 ${r.fingerprint}\n`);
      return 0;
    },
  },
  {
    name: 'demo',
    summary: 'Import the bundled demo estate, build a signed evidence pack and verify it (never touches your store)',
    usage: 'demo [--out DIR] [--json]',
    options: { out: { type: 'string' } },
    async run(args, io) {
      const out = strArg(args, 'out');
      const json = args.values.json === true;
      // The demo makes its own store in --out; the user's store is never opened.
      const core = createCoreContext();
      const r = await call(core, 'demo.run', out ? { out } : {}, json ? undefined : io);
      if (json) printJson(io, r);
      else {
        io.stdout(`demo store: ${r.storePath} (snapshots ${r.snapshots.join(', ')})\n`);
        io.stdout(`evidence pack: ${r.pack.path}\n  open report.pdf and workbook.xlsx; the data/ folder holds the canonical snapshots\n\n`);
        printVerify(io, r.verify, r.pack.path);
        io.stdout(`\nverify it yourself:\n  vaultproof verify ${r.pack.path} --trust ${r.trustAnchor}\n  openssl cms -verify -binary -inform DER -in ${r.pack.path}/manifest.p7s -content ${r.pack.path}/manifest.json -noverify -out /dev/null\n  pdfsig ${r.pack.path}/report.pdf\n`);
      }
      return r.verify.ok ? 0 : 3;
    },
  },
];
