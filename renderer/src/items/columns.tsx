import type { ReactNode } from 'react';
import { Pill, type PillColor } from './Pill.tsx';
import type { ColumnDef } from '@tanstack/react-table';
import type { BackupItem } from '../../../shared/domain/types.ts';
import { ageInWords, formatGb, formatTime } from '../format.ts';
import { portalWord } from '../portal.ts';
import { lastSuccessfulBackup } from '../../../shared/domain/last-success.ts';

export type SortField = 'key' | 'name' | 'vaultName' | 'protectionState' | 'lastBackupTime' | 'lastSuccessTime' | 'workloadType';

export type ItemColumnMeta = { label: string; width: number; sort?: SortField; hiddenByDefault?: boolean };

type BadgeColor = PillColor;

function stateColor(state: string | null): BadgeColor {
  const s = (state ?? '').toLowerCase();
  if (s === 'protected') return 'success';
  if (s.includes('stopped') || s === 'protectionstopped') return 'warning';
  if (s.includes('error') || s.includes('fail')) return 'danger';
  if (s.includes('pending') || s.includes('irpending')) return 'informative';
  return 'subtle';
}

function healthColor(h: string | null): BadgeColor {
  const s = (h ?? '').toLowerCase();
  if (s === 'passed' || s === 'healthy') return 'success';
  if (s.includes('action')) return 'danger';
  if (s.includes('warn')) return 'warning';
  return 'subtle';
}

function statusColor(h: string | null): BadgeColor {
  const s = (h ?? '').toLowerCase();
  if (s === 'completed' || s === 'healthy') return 'success';
  if (s.includes('fail')) return 'danger';
  if (s.includes('warn')) return 'warning';
  return 'subtle';
}

function badge(value: string | null, color: BadgeColor, field?: string): ReactNode {
  if (!value) return '—';
  return <Pill color={color}>{field ? portalWord(field, value) : value}</Pill>;
}

function text(v: string | null | undefined): ReactNode {
  return v === null || v === undefined || v === '' ? '—' : v;
}

/** asOf: the snapshot's as-of time, from which ages are told (the moment the evidence describes). */
export type ItemRowContext = { ownerOf: (key: string) => string | null; asOf?: string };

function col(id: string, meta: ItemColumnMeta, cell: (it: BackupItem, ctx: ItemRowContext) => ReactNode, title?: (it: BackupItem, ctx: ItemRowContext) => string | undefined): ColumnDef<BackupItem> & { id: string; meta: ItemColumnMeta } {
  return {
    id,
    header: meta.label,
    size: meta.width,
    meta,
    cell: (c) => {
      const ctx = (c.table.options.meta as ItemRowContext | undefined) ?? { ownerOf: () => null };
      return <span title={title?.(c.row.original, ctx)}>{cell(c.row.original, ctx)}</span>;
    },
  };
}

// Default widths add up to the grid's width at 1280 px (1,048 px) with Last success and Owner in view.
export const itemColumns = [
  col('name', { label: 'Name', width: 150, sort: 'name' }, (it) => it.name, (it) => it.key),
  col('vaultName', { label: 'Vault', width: 100, sort: 'vaultName' }, (it) => text(it.vaultName)),
  col('workloadType', { label: 'Workload', width: 115, sort: 'workloadType' }, (it) => text(portalWord('workloadType', it.workloadType)), (it) => it.workloadType ?? undefined),
  col('protectionState', { label: 'Protection state', width: 150, sort: 'protectionState' }, (it) => badge(it.protectionState, stateColor(it.protectionState), 'protectionState'), (it) => it.protectionState ?? undefined),
  col('healthStatus', { label: 'Health', width: 105 }, (it) => badge(it.healthStatus, healthColor(it.healthStatus), 'healthStatus'), (it) => it.healthStatus ?? undefined),
  col('lastBackupStatus', { label: 'Last status', width: 115 }, (it) => badge(it.lastBackupStatus, statusColor(it.lastBackupStatus), 'lastBackupStatus'), (it) => it.lastBackupStatus ?? undefined),
  // The age at the snapshot's as-of time (what the evidence describes), the exact time on hover.
  col(
    'lastBackupTime',
    { label: 'Last backup', width: 106, sort: 'lastBackupTime' },
    (it, ctx) => (it.neverBackedUp ? 'never' : ageInWords(it.lastBackupTime, ctx.asOf)),
    (it) => (it.lastBackupTime ? `${formatTime(it.lastBackupTime)} (age told at the snapshot's as-of time)` : undefined),
  ),
  // The later of a succeeded last backup and the latest recovery point (shared/domain/last-success.ts): what "no successful backup in 48 h" filters on.
  col(
    'lastSuccessTime',
    { label: 'Last success', width: 110, sort: 'lastSuccessTime' },
    (it, ctx) => {
      const t = lastSuccessfulBackup(it);
      return t === null ? 'none' : ageInWords(t, ctx.asOf);
    },
    (it) => {
      const t = lastSuccessfulBackup(it);
      return t === null ? 'No successful backup or recovery point stated' : `Last successful backup ${formatTime(t)} (the later of a succeeded backup and the latest recovery point)`;
    },
  ),
  col('owner', { label: 'Owner', width: 95 }, (it, ctx) => text(ctx.ownerOf(it.key))),
  col('policyName', { label: 'Policy', width: 140, hiddenByDefault: true }, (it) => text(it.policyName)),
  col('softDeleted', { label: 'Soft-deleted', width: 105, hiddenByDefault: true }, (it) => (it.softDeleted ? badge('soft-deleted', 'danger') : 'no')),
  col('subscriptionId', { label: 'Subscription', width: 280, hiddenByDefault: true }, (it) => text(it.subscriptionId)),
  col('resourceGroup', { label: 'Resource group', width: 160, hiddenByDefault: true }, (it) => text(it.resourceGroup)),
  col('backupManagementType', { label: 'Management type', width: 130, hiddenByDefault: true }, (it) => text(portalWord('backupManagementType', it.backupManagementType)), (it) => it.backupManagementType ?? undefined),
  col('sizeGb', { label: 'Size', width: 100, hiddenByDefault: true }, (it) => formatGb(it.sizeGb)),
  col('location', { label: 'Location', width: 110, hiddenByDefault: true }, (it) => text(it.location)),
  col('vaultKind', { label: 'Vault kind', width: 130, hiddenByDefault: true }, (it) => (it.vaultKind === 'BackupVault' ? 'Backup vault' : 'Recovery Services')),
  col('key', { label: 'Key', width: 420, sort: 'key', hiddenByDefault: true }, (it) => it.key),
];

export function defaultVisibility(): Record<string, boolean> {
  return Object.fromEntries(itemColumns.map((c) => [c.id, !c.meta.hiddenByDefault]));
}
