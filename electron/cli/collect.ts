/**
 * `vaultproof collect` and `kit`: a live collection from Azure, or the script
 * for an offline one (collect.* methods).
 */
import { collectIncludes, type CollectInclude } from '../../shared/contract/methods/collect.ts';
import { cloudNames } from '../../shared/domain/azure-clouds.ts';
import { UserError } from '../core/errors.ts';
import { call, fromArgv, isOneOf, listArg, printJson, strArg, withCore } from './run.ts';
import type { CliIo, CommandRuns } from './types.ts';

function includesArg(values: string[]): CollectInclude[] | undefined {
  if (values.length === 0) return undefined;
  const out: CollectInclude[] = [];
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '')) {
    if (!(collectIncludes as readonly string[]).includes(v)) throw new UserError('BAD_INPUT', `--include ${v}: expected a comma-separated list of ${collectIncludes.join(', ')}`);
    if (!out.includes(v as CollectInclude)) out.push(v as CollectInclude);
  }
  return out;
}

/** Progress on stderr, at most a few lines a second (the device code message always). */
function progressPrinter(io: CliIo): (e: { phase: string; done: number; total: number | null; message?: string }) => void {
  let last = 0;
  let lastPhase = '';
  return (e) => {
    const now = Date.now();
    const important = e.phase !== lastPhase || e.phase === 'sign-in' || e.phase === 'done' || (e.total !== null && e.done === e.total);
    if (!important && now - last < 500) return;
    last = now;
    lastPhase = e.phase;
    io.stderr(`${e.phase}${e.total !== null ? ` ${e.done}/${e.total}` : ''}${e.message ? ` ${e.message}` : ''}\n`);
  };
}

export const runs: CommandRuns = {
  async 'collect'(args, io) {
    if (args.positionals.length > 0) throw new UserError('BAD_INPUT', `collect takes no positional arguments (got ${args.positionals.join(' ')}); usage: vaultproof ${this.usage}`);
    const subs = listArg(args, 'subscription').flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    const all = args.values['all-subscriptions'] === true;
    if ((subs.length > 0) === all) throw new UserError('BAD_INPUT', 'give --subscription ID (one or more) or --all-subscriptions');
    const cloud = strArg(args, 'cloud');
    if (cloud !== undefined && !isOneOf(cloudNames, cloud)) throw new UserError('BAD_INPUT', `--cloud ${cloud}: expected one of ${cloudNames.join(', ')}`);
    const armEndpoint = strArg(args, 'arm-endpoint');
    const authorityHost = strArg(args, 'authority-host');
    if (cloud === 'custom' && (!armEndpoint || !authorityHost)) throw new UserError('BAD_INPUT', '--cloud custom needs --arm-endpoint URL and --authority-host URL');
    if (cloud !== 'custom' && (armEndpoint || authorityHost)) throw new UserError('BAD_INPUT', '--arm-endpoint and --authority-host are for --cloud custom');
    const concurrencyArg = strArg(args, 'concurrency');
    const concurrency = concurrencyArg === undefined ? undefined : Number(concurrencyArg);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) throw new UserError('BAD_INPUT', `--concurrency ${concurrencyArg}: expected a whole number from 1 to 64`);
    const include = includesArg(listArg(args, 'include'));
    const input = {
      ...(all ? { allSubscriptions: true } : { subscriptions: subs }),
      ...(strArg(args, 'tenant') ? { tenantId: strArg(args, 'tenant') } : {}),
      ...(cloud ? { cloud } : {}),
      ...(armEndpoint ? { armEndpoint } : {}),
      ...(authorityHost ? { authorityHost } : {}),
      ...(strArg(args, 'ca-file') ? { caFile: strArg(args, 'ca-file') } : {}),
      ...(strArg(args, 'auth') ? { auth: strArg(args, 'auth') } : {}),
      ...(strArg(args, 'client-id') ? { clientId: strArg(args, 'client-id') } : {}),
      ...(strArg(args, 'client-secret-env') ? { clientSecretEnv: strArg(args, 'client-secret-env') } : {}),
      ...(strArg(args, 'client-certificate') ? { clientCertificate: strArg(args, 'client-certificate') } : {}),
      ...(include ? { include } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(strArg(args, 'label') ? { label: strArg(args, 'label') } : {}),
    };
    const r = await withCore(args, (core) => call(core, 'collect.start', fromArgv(input), progressPrinter(io)));
    if (args.values.json) {
      await printJson(io, { snapshotId: r.snapshotId, itemCount: r.itemCount, complete: r.complete, coverage: r.coverage.map((c) => ({ scope: c.scope, status: c.status, error: c.error })) });
    } else {
      io.stdout(`snapshot ${r.snapshotId}: ${r.itemCount} items, as of ${r.asOf}, ${r.complete ? 'complete' : 'INCOMPLETE'}\ncontent hash ${r.contentHash}\n`);
      io.stdout(`records: ${Object.entries(r.records).map(([k, v]) => `${k} ${v}`).join(', ')}; ${r.requests.total} requests (${r.requests.retried} retried, ${r.requests.throttled} throttled)\n`);
      for (const c of r.coverage) if (c.status === 'failed') io.stdout(`FAILED ${c.scope}: ${c.error?.code ?? ''} ${c.error?.message ?? ''}\n`);
      for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
    }
    return r.complete ? 0 : 4;
  },
  async 'kit'(args, io) {
    const subs = listArg(args, 'subscription').flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    const cloud = strArg(args, 'cloud');
    const kit = await withCore(args, (core) => call(core, 'collect.kit', fromArgv({ ...(subs.length ? { subscriptions: subs } : {}), ...(cloud ? { cloud } : {}) })));
    if (args.values.json) await printJson(io, kit);
    else {
      // Saved as is, the output is a runnable script: the shebang stays first.
      const [shebang, ...rest] = kit.script.split('\n');
      io.stdout(`${shebang}\n# ${kit.intro}\n#\n# Then, on the auditor's machine:\n#   ${kit.importCommand}\n${rest.join('\n')}\n`);
    }
    return 0;
  },
};
