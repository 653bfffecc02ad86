/**
 * `vaultproof identities` and `identities create`: local signing identities
 * (identities.* methods).
 */
import { UserError } from '../core/errors.ts';
import { call, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';
import { passphraseFrom } from './passphrase.ts';

export const runs: CommandRuns = {
  async 'identities'(args, io) {
    const list = await withCore(args, (core) => call(core, 'identities.list', {}));
    if (args.values.json) await printJson(io, list);
    else if (list.length === 0) io.stdout('no local identity yet — `vaultproof identities create NAME --signer-name "Your Name" --passphrase-env VAR`, or pack --sign-self-signed\n');
    else io.stdout(table(list.map((i) => ({ name: i.name, subject: i.subject, notAfter: i.notAfter.slice(0, 10), ca: i.caPath })), ['name', 'subject', 'notAfter', 'ca']));
    return 0;
  },
  async 'identities create'(args, io) {
    const [name] = requirePositionals(args, 1, this.usage);
    const commonName = strArg(args, 'signer-name');
    if (!commonName) throw new UserError('BAD_INPUT', '--signer-name is required (the name on the certificate)');
    const passphrase = await passphraseFrom(args, `the new identity "${name}"`);
    const email = strArg(args, 'signer-email');
    const org = strArg(args, 'organisation');
    const r = await withCore(args, (core) => call(core, 'identities.create', { name, commonName, passphrase, ...(email ? { email } : {}), ...(org ? { organisation: org } : {}) }));
    if (args.values.json) await printJson(io, r);
    else io.stdout(`identity ${r.name}: ${r.subject}\n  key (encrypted): ${r.p12Path}\n  CA certificate to give readers: ${r.caPath}\n  SHA-256 ${r.fingerprint}\n`);
    return 0;
  },
};
