/**
 * `vaultproof sample`: a seeded, reproducible audit sample (sample.* methods).
 */
import { stratifyValues } from '../../shared/contract/methods/analysis.ts';
import { UserError } from '../core/errors.ts';
import { call, isOneOf, numArg, printJson, requirePositionals, strArg, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

export const runs: CommandRuns = {
  async 'sample'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const size = numArg(args, 'size', { integer: true });
    const seed = strArg(args, 'seed');
    if (size === undefined || seed === undefined) throw new UserError('BAD_INPUT', `sample needs --size N and --seed S; usage: vaultproof ${this.usage}`);
    const stratify = strArg(args, 'stratify') ?? 'none';
    if (!isOneOf(stratifyValues, stratify)) throw new UserError('BAD_INPUT', `--stratify ${JSON.stringify(stratify)}: expected workload, vault or severity`);
    const profilePath = strArg(args, 'profile');
    const s = await withCore(args, (core) => call(core, 'sample.draw', { snapshot, size, seed, stratify, ...(profilePath ? { profilePath } : {}) }));
    if (args.values.json) await printJson(io, s);
    else {
      io.stdout(`sample of ${s.size} from ${s.population} items of ${s.snapshot.id}, seed ${JSON.stringify(s.seed)}, stratified by ${s.stratify}\nmethod: ${s.method}\n`);
      for (const st of s.strata) io.stdout(`  ${st.stratum}: ${st.drawn} of ${st.population}\n`);
      for (const it of s.items) io.stdout(`${it.key}\t${it.stratum}\n`);
    }
    return 0;
  },
};
