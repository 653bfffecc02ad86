/**
 * One normaliser for every source: import parsers and the live collector both
 * hand each raw JSON object here, so the same payload always gives the same
 * records (and the same content hash) whichever way it arrived.
 */
import type { NormalisedRecord, RecordType } from '../types.ts';
import { nonEmpty, isObj, pick, type Obj } from './fields.ts';
import { normaliseDppInstance, normaliseRsvItem } from './items.ts';
import { inventoryKindOf, normaliseInventory, normaliseJob, normalisePolicy, normaliseRecoveryPoint, normaliseVault } from './records.ts';
import { normaliseRoleAssignment, normaliseRoleDefinition } from './access.ts';
import { looksLikePolicyState, normaliseActionGroup, normaliseAlertProcessingRule, normalisePolicyState, policyStateKey } from './monitoring.ts';

export { parseTime, isNeverPlaceholder } from './fields.ts';

export type NormaliseContext = {
  tenantId?: string | null;
  /** The record type the container implies (e.g. a recovery point list), used when the object carries no type. */
  expect?: RecordType;
  /** For recovery points whose id does not name their item. */
  itemKey?: string;
};

export type Recognition =
  | { ok: true; record: NormalisedRecord }
  | { ok: false; reason: 'no-id' | 'unknown-type'; type: string | null };

/** Classifies by ARM type (case-insensitive) or, failing that, by the shape of the id / PowerShell keys. */
function classify(raw: Obj, id: string | null): { kind: RecordType | 'dppItem' | 'dppDeleted' | null; type: string | null } {
  const type = nonEmpty(raw, 'type');
  const t = (type ?? '').toLowerCase();
  if (t) {
    if (t.endsWith('/protecteditems')) return { kind: 'item', type };
    if (t === 'microsoft.dataprotection/backupvaults/backupinstances') return { kind: 'dppItem', type };
    if (t === 'microsoft.dataprotection/backupvaults/deletedbackupinstances') return { kind: 'dppDeleted', type };
    if (t === 'microsoft.recoveryservices/vaults' || t === 'microsoft.dataprotection/backupvaults') return { kind: 'vault', type };
    if (t.endsWith('/backuppolicies')) return { kind: 'policy', type };
    if (t.endsWith('/recoverypoints')) return { kind: 'recoveryPoint', type };
    if (t.endsWith('/backupjobs') || t === 'microsoft.dataprotection/backupvaults/backupjobs') return { kind: 'job', type };
    if (inventoryKindOf(t)) return { kind: 'inventory', type };
    if (t === 'microsoft.authorization/roleassignments') return { kind: 'roleAssignment', type };
    if (t === 'microsoft.authorization/roledefinitions') return { kind: 'roleDefinition', type };
    if (t === 'microsoft.insights/actiongroups') return { kind: 'actionGroup', type };
    if (t === 'microsoft.alertsmanagement/actionrules') return { kind: 'alertProcessingRule', type };
    if (t === 'microsoft.policyinsights/policystates') return { kind: 'policyState', type };
    return { kind: null, type };
  }
  const lid = (id ?? '').toLowerCase();
  if (/\/recoverypoints\/[^/]+$/.test(lid)) return { kind: 'recoveryPoint', type: null };
  if (/\/protecteditems\/[^/]+$/.test(lid)) return { kind: 'item', type: null };
  if (/\/backupinstances\/[^/]+$/.test(lid)) return { kind: 'dppItem', type: null };
  if (/\/deletedbackupinstances\/[^/]+$/.test(lid)) return { kind: 'dppDeleted', type: null };
  if (/\/backupjobs\/[^/]+$/.test(lid)) return { kind: 'job', type: null };
  if (/\/backuppolicies\/[^/]+$/.test(lid)) return { kind: 'policy', type: null };
  // PowerShell objects (Get-AzRecoveryServicesBackupItem / -RecoveryPoint / -Job) carry PascalCase keys and no type.
  if (pick(raw, 'ProtectionState') !== undefined && pick(raw, 'ContainerName', 'WorkloadType') !== undefined) return { kind: 'item', type: null };
  if (pick(raw, 'RecoveryPointId') !== undefined) return { kind: 'recoveryPoint', type: null };
  // az policy state list / PolicyInsights REST: no id and no type.
  if (looksLikePolicyState(raw)) return { kind: 'policyState', type: null };
  if (pick(raw, 'JobId') !== undefined && pick(raw, 'Operation') !== undefined) return { kind: 'job', type: null };
  return { kind: null, type: null };
}

function idOf(raw: Obj): string | null {
  const id = nonEmpty(raw, 'id', 'Id', 'ResourceId');
  if (id) return id;
  // PowerShell recovery points / jobs name themselves by RecoveryPointId / JobId.
  return nonEmpty(raw, 'RecoveryPointId') ?? nonEmpty(raw, 'JobId');
}

export function recogniseResource(raw: unknown, ctx: NormaliseContext = {}): Recognition {
  if (!isObj(raw)) return { ok: false, reason: 'unknown-type', type: null };
  const ownId = idOf(raw);
  const { kind, type } = classify(raw, ownId);
  // A policy state is named by what it describes; a Resource Graph row's id is per evaluation, not per state.
  const id = kind === 'policyState' ? policyStateKey(raw) : ownId;
  if (kind === null) {
    if (!id && ctx.expect === undefined) return { ok: false, reason: 'unknown-type', type };
    if (!id) return { ok: false, reason: 'no-id', type };
    return { ok: false, reason: 'unknown-type', type };
  }
  if (!id) return { ok: false, reason: 'no-id', type };
  const tenantId = nonEmpty(raw, 'tenantId') ?? ctx.tenantId ?? null;
  switch (kind) {
    case 'item': {
      const data = normaliseRsvItem(raw, id, tenantId);
      return { ok: true, record: { type: 'item', key: data.key, data, raw } };
    }
    case 'dppItem':
    case 'dppDeleted': {
      const data = normaliseDppInstance(raw, id, tenantId, kind === 'dppDeleted');
      return { ok: true, record: { type: 'item', key: data.key, data, raw } };
    }
    case 'vault': {
      const data = normaliseVault(raw, id, tenantId, /dataprotection/i.test(type ?? id) ? 'BackupVault' : 'RecoveryServices');
      return { ok: true, record: { type: 'vault', key: data.key, data, raw } };
    }
    case 'policy': {
      const data = normalisePolicy(raw, id);
      return { ok: true, record: { type: 'policy', key: data.key, data, raw } };
    }
    case 'recoveryPoint': {
      const data = normaliseRecoveryPoint(raw, id, ctx.itemKey ?? null);
      return { ok: true, record: { type: 'recoveryPoint', key: data.key, data, raw } };
    }
    case 'job': {
      const data = normaliseJob(raw, id);
      return { ok: true, record: { type: 'job', key: data.key, data, raw } };
    }
    case 'inventory': {
      const k = inventoryKindOf(type ?? '') ?? 'other';
      const data = normaliseInventory(raw, id, type ?? '', k);
      return { ok: true, record: { type: 'inventory', key: data.key, data, raw } };
    }
    case 'roleAssignment': {
      const data = normaliseRoleAssignment(raw, id, tenantId);
      return { ok: true, record: { type: 'roleAssignment', key: data.key, data, raw } };
    }
    case 'roleDefinition': {
      const data = normaliseRoleDefinition(raw, id);
      return { ok: true, record: { type: 'roleDefinition', key: data.key, data, raw } };
    }
    case 'actionGroup': {
      const data = normaliseActionGroup(raw, id);
      return { ok: true, record: { type: 'actionGroup', key: data.key, data, raw } };
    }
    case 'alertProcessingRule': {
      const data = normaliseAlertProcessingRule(raw, id);
      return { ok: true, record: { type: 'alertProcessingRule', key: data.key, data, raw } };
    }
    case 'policyState': {
      const data = normalisePolicyState(raw, id);
      return { ok: true, record: { type: 'policyState', key: data.key, data, raw } };
    }
  }
}

/** The normalised record for one raw ARM/CLI/ARG/PowerShell object, or null when it is not one we know. */
export function normaliseResource(raw: unknown, ctx: NormaliseContext = {}): NormalisedRecord | null {
  const r = recogniseResource(raw, ctx);
  return r.ok ? r.record : null;
}
