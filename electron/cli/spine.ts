import type { ItemsPage } from '../../shared/contract/methods/snapshots.ts';
import { itemFilterFields, type ItemFilterField } from '../../shared/contract/methods/snapshots.ts';
import type { BackupItem } from '../../shared/domain/types.ts';
import { UserError } from '../core/errors.ts';
import { call, listArg, printJson, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CliCommand } from './types.ts';

/** The item fields `items --json` prints (the normalised record, flat). */
function itemJson(it: BackupItem): Record<string, unknown> {
  return it;
}

export const spineCommands: CliCommand[] = [
  {
    name: 'import',
    summary: 'Import export files (az CLI, PowerShell, ARM REST, Resource Graph) into one snapshot',
    usage: 'import FILE... [--label TEXT] [--as-of ISO-TIME] [--store PATH] [--json]',
    options: { label: { type: 'string' }, 'as-of': { type: 'string' } },
    async run(args, io) {
      const files = requirePositionals(args, 1, this.usage);
      const label = strArg(args, 'label');
      const asOf = strArg(args, 'as-of');
      const res = await withCore(args, (core) =>
        call(core, 'import.files', { paths: files, ...(label ? { label } : {}), ...(asOf ? { asOf } : {}) }, args.values.json ? undefined : io),
      );
      if (args.values.json) printJson(io, res);
      else {
        for (const f of res.files) io.stdout(`${f.path}: ${f.format}, ${f.records} records\n`);
        for (const w of res.warnings) io.stderr(`warning: ${w}\n`);
        io.stdout(`snapshot ${res.snapshotId}: ${res.itemCount} items, as of ${res.asOf}\ncontent hash ${res.contentHash}\n`);
      }
      return 0;
    },
  },
  {
    name: 'snapshots',
    summary: 'List the snapshots in the store',
    usage: 'snapshots [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const list = await withCore(args, (core) => call(core, 'snapshots.list', {}));
      const rows = list.map((s) => ({ id: s.id, label: s.label, createdAt: s.createdAt, asOf: s.asOf, source: s.source, itemCount: s.itemCount, contentHash: s.contentHash, complete: s.complete }));
      if (args.values.json) printJson(io, rows);
      else if (rows.length === 0) io.stdout('no snapshots yet — run `vaultproof import FILE...` or `vaultproof demo`\n');
      else io.stdout(table(rows.map((r) => ({ ...r, contentHash: r.contentHash.slice(0, 16), complete: r.complete ? 'yes' : 'NO' })), ['id', 'label', 'asOf', 'source', 'itemCount', 'complete', 'contentHash']));
      return 0;
    },
  },
  {
    name: 'snapshot',
    summary: 'Show one snapshot: provenance, input files, coverage, record counts',
    usage: 'snapshot SNAPSHOT [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const [ref] = requirePositionals(args, 1, this.usage);
      const d = await withCore(args, (core) => call(core, 'snapshots.get', { snapshot: ref }));
      if (args.values.json) printJson(io, d);
      else {
        io.stdout(`snapshot ${d.id}${d.label ? ` (${d.label})` : ''}\n  as of ${d.asOf} (${String(d.provenance.asOfSource)}), created ${d.createdAt} by ${d.provenance.user}\n  source ${d.source}, ${d.itemCount} items, ${d.complete ? 'complete' : 'INCOMPLETE'}\n  content hash ${d.contentHash}\n`);
        io.stdout(`  records: ${Object.entries(d.recordCounts).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
        for (const f of d.files) io.stdout(`  file ${f.name}: ${f.format}, ${f.records} records, ${f.size} bytes, sha256 ${f.sha256}\n`);
        for (const c of d.coverage) io.stdout(`  ${c.status === 'collected' ? 'ok    ' : 'FAILED'} ${c.scope}${c.error ? `: ${c.error.code} ${c.error.message}` : ''}\n`);
      }
      return 0;
    },
  },
  {
    name: 'items',
    summary: 'List the normalised items of a snapshot (filter with --where FIELD=VALUE)',
    usage: `items SNAPSHOT [--where FIELD=VALUE ...] [--search TEXT] [--limit N] [--store PATH] [--json]   (FIELD: ${itemFilterFields.join(', ')})`,
    options: { where: { type: 'string', multiple: true }, search: { type: 'string' }, limit: { type: 'string' } },
    async run(args, io) {
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
      const items = await withCore(args, async (core) => {
        const out: BackupItem[] = [];
        let after: ItemsPage['next'] = null;
        do {
          const page: ItemsPage = await call(core, 'items.query', {
            snapshot: ref,
            where,
            ...(search ? { search } : {}),
            limit: Math.min(5000, limit - out.length),
            ...(after ? { after } : {}),
          });
          out.push(...page.items);
          after = page.next;
        } while (after && out.length < limit);
        return out;
      });
      if (args.values.json) printJson(io, items.map(itemJson));
      else io.stdout(table(items as unknown as Array<Record<string, unknown>>, ['name', 'vaultName', 'workloadType', 'protectionState', 'healthStatus', 'lastBackupStatus', 'lastBackupTime', 'policyName', 'key']));
      return 0;
    },
  },
  {
    name: 'show',
    summary: 'Show one item of a snapshot with its raw JSON',
    usage: 'show SNAPSHOT ITEMKEY [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const [ref, key] = requirePositionals(args, 2, this.usage);
      const d = await withCore(args, (core) => call(core, 'items.get', { snapshot: ref, key }));
      if (args.values.json) printJson(io, d);
      else {
        for (const [k, v] of Object.entries(d.item)) io.stdout(`${k.padEnd(26)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}\n`);
        io.stdout(`\nraw JSON (sha256 ${d.rawSha256}):\n${JSON.stringify(d.raw, null, 2)}\n`);
      }
      return 0;
    },
  },
  {
    name: 'store verify',
    summary: "Recompute every snapshot's content hash and check every record (and the annotation log)",
    usage: 'store verify [--store PATH] [--json]',
    options: {},
    async run(args, io) {
      const res = await withCore(args, (core) => call(core, 'store.verify', {}));
      if (args.values.json) printJson(io, res);
      else {
        for (const s of res.snapshots) {
          io.stdout(`${s.ok ? 'ok      ' : 'MISMATCH'} ${s.id} ${s.expected.slice(0, 16)}\n`);
          for (const p of s.problems) io.stdout(`         ${p}\n`);
        }
        for (const p of res.problems) io.stdout(`PROBLEM  ${p}\n`);
        io.stdout(res.ok ? `store verified: ${res.snapshots.length} snapshots intact\n` : 'store verification FAILED\n');
      }
      return res.ok ? 0 : 3;
    },
  },
];
