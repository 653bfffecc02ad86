/**
 * `vaultproof items` and `show`: the item query and one item (items.*
 * methods).
 */
import type { ItemsBrowsePage } from '../../shared/contract/methods/ui.ts';
import { itemFilterFields, type ItemFilterField } from '../../shared/contract/methods/snapshots.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { UserError } from '../core/errors.ts';
import { parseHours } from '../../shared/domain/last-success.ts';
import { call, listArg, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

/** The item fields `items --json` prints (the normalised record, flat). */
function itemJson(it: BackupItem): Record<string, unknown> {
  return it;
}

export const runs: CommandRuns = {
  async 'items'(args, io) {
    const [ref] = requirePositionals(args, 1, this.usage);
    const where = listArg(args, 'where').map((w) => {
      const eq = w.indexOf('=');
      const field = eq > 0 ? w.slice(0, eq) : '';
      if (!(itemFilterFields as readonly string[]).includes(field)) {
        throw new UserError('BAD_INPUT', `--where ${JSON.stringify(w)}: FIELD must be one of ${itemFilterFields.join(', ')}`);
      }
      return { field: field as ItemFilterField, value: w.slice(eq + 1) };
    });
    const limitArg = strArg(args, 'limit');
    const limit = limitArg === undefined ? Infinity : Number(limitArg);
    if (!(limit > 0)) throw new UserError('BAD_INPUT', `--limit ${limitArg}: expected a positive number`);
    const search = strArg(args, 'search');
    // "" is the engine's "nobody owns it".
    const owners = [...listArg(args, 'owner'), ...(args.values['no-owner'] ? [''] : [])];
    const within = strArg(args, 'no-success-in');
    const noSuccessHours = within === undefined ? undefined : parseHours(within);
    if (noSuccessHours === null) throw new UserError('BAD_INPUT', `--no-success-in ${JSON.stringify(within)}: write a number of hours or days, such as 48h or 7d`);
    const items = await withCore(args, async (core) => {
      const out: BackupItem[] = [];
      let after: ItemsBrowsePage['next'] = null;
      do {
        const page: ItemsBrowsePage = await call(core, 'items.query', {
          snapshot: ref,
          where,
          ...(search ? { search } : {}),
          ...(owners.length > 0 ? { owners } : {}),
          ...(noSuccessHours !== undefined ? { noSuccessHours } : {}),
          limit: Math.min(5000, limit - out.length),
          ...(after ? { after } : {}),
        });
        out.push(...page.items);
        after = page.next;
      } while (after && out.length < limit);
      return out;
    });
    if (args.values.json) await printJson(io, items.map(itemJson));
    else io.stdout(table(items as unknown as Array<Record<string, unknown>>, ['name', 'vaultName', 'workloadType', 'protectionState', 'healthStatus', 'lastBackupStatus', 'lastBackupTime', 'policyName', 'key']));
    return 0;
  },
  async 'show'(args, io) {
    const [ref, key] = requirePositionals(args, 2, this.usage);
    const d = await withCore(args, (core) => call(core, 'items.get', { snapshot: ref, key }));
    if (args.values.json) await printJson(io, d);
    else {
      for (const [k, v] of Object.entries(d.item)) io.stdout(`${k.padEnd(26)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}\n`);
      io.stdout(`\nraw JSON as imported (sha256 ${d.rawSha256}):\n${d.rawText}\n`);
    }
    return 0;
  },
};
