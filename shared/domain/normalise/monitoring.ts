/**
 * Action groups, alert processing rules and policy compliance states. az CLI
 * flattens `properties` for action groups (emailReceivers at the top level);
 * ARM REST and Resource Graph nest them, so each field is read from
 * `properties` first and the object itself second. Policy states carry no
 * `id`: their key is built from the resource, the assignment and the
 * definition reference they describe.
 */
import type { ActionGroupReceiver, ActionGroupReceiverKind, ActionGroupRecord, AlertProcessingRuleRecord, PolicyStateRecord } from '../types.ts';
import { canonicalArmId, parseArmId } from '../keys.ts';
import { lastIdSegment } from './access.ts';
import { arr, bool, isObj, nonEmpty, obj, parseTime, pick, type Obj } from './fields.ts';

function nameOf(raw: Obj, id: string): string {
  return nonEmpty(raw, 'name') ?? lastIdSegment(id);
}

/** A URL receiver's target without path or query: those can hold a token (Logic App callback sig, function keys). */
function urlHost(u: string | null): string | null {
  if (!u) return null;
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)/i.exec(u.trim());
  return m ? `${m[1]!}/…` : '(not a URL)';
}

const receiverFields: Array<[string, ActionGroupReceiverKind, (r: Obj) => string | null]> = [
  ['emailReceivers', 'email', (r) => nonEmpty(r, 'emailAddress')],
  ['smsReceivers', 'sms', (r) => [nonEmpty(r, 'countryCode'), nonEmpty(r, 'phoneNumber')].filter(Boolean).join(' ') || null],
  ['webhookReceivers', 'webhook', (r) => urlHost(nonEmpty(r, 'serviceUri'))],
  ['itsmReceivers', 'itsm', (r) => nonEmpty(r, 'connectionId') ?? nonEmpty(r, 'workspaceId')],
  ['azureAppPushReceivers', 'azureAppPush', (r) => nonEmpty(r, 'emailAddress')],
  ['automationRunbookReceivers', 'automationRunbook', (r) => nonEmpty(r, 'runbookName') ?? nonEmpty(r, 'automationAccountId')],
  ['voiceReceivers', 'voice', (r) => [nonEmpty(r, 'countryCode'), nonEmpty(r, 'phoneNumber')].filter(Boolean).join(' ') || null],
  ['logicAppReceivers', 'logicApp', (r) => nonEmpty(r, 'resourceId') ?? urlHost(nonEmpty(r, 'callbackUrl'))],
  ['azureFunctionReceivers', 'azureFunction', (r) => nonEmpty(r, 'functionAppResourceId') ?? urlHost(nonEmpty(r, 'httpTriggerUrl'))],
  ['armRoleReceivers', 'armRole', (r) => nonEmpty(r, 'roleId')],
  ['eventHubReceivers', 'eventHub', (r) => [nonEmpty(r, 'eventHubNameSpace'), nonEmpty(r, 'eventHubName')].filter(Boolean).join('/') || null],
  ['incidentReceivers', 'incident', (r) => nonEmpty(obj(r, 'connection'), 'name')],
];

export function normaliseActionGroup(raw: Obj, id: string): ActionGroupRecord {
  const props = obj(raw, 'properties') ?? raw;
  const receivers: ActionGroupReceiver[] = [];
  for (const [field, kind, target] of receiverFields) {
    for (const r of arr(props, field).filter(isObj)) {
      receivers.push({ kind, name: nonEmpty(r, 'name'), target: target(r), status: nonEmpty(r, 'status') });
    }
  }
  const p = parseArmId(id);
  return {
    key: canonicalArmId(id),
    id,
    name: nameOf(raw, id),
    subscriptionId: p.subscriptionId,
    resourceGroup: p.resourceGroup,
    shortName: nonEmpty(props, 'groupShortName'),
    enabled: bool(props, 'enabled'),
    receivers,
  };
}

function strings(v: unknown[]): string[] {
  return v.filter((x): x is string => typeof x === 'string');
}

export function normaliseAlertProcessingRule(raw: Obj, id: string): AlertProcessingRuleRecord {
  const props = obj(raw, 'properties') ?? raw;
  const p = parseArmId(id);
  return {
    key: canonicalArmId(id),
    id,
    name: nameOf(raw, id),
    subscriptionId: p.subscriptionId,
    resourceGroup: p.resourceGroup,
    enabled: bool(props, 'enabled'),
    description: nonEmpty(props, 'description'),
    scopes: strings(arr(props, 'scopes')),
    conditions: arr(props, 'conditions')
      .filter(isObj)
      .map((c) => ({ field: nonEmpty(c, 'field'), operator: nonEmpty(c, 'operator'), values: strings(arr(c, 'values')) })),
    actions: arr(props, 'actions')
      .filter(isObj)
      .map((a) => ({ actionType: nonEmpty(a, 'actionType'), actionGroupIds: strings(arr(a, 'actionGroupIds')) })),
    scheduled: obj(props, 'schedule') !== null,
  };
}

/** True when an object without id/type has the fields every policy state carries. */
export function looksLikePolicyState(raw: Obj): boolean {
  const props = obj(raw, 'properties') ?? raw;
  return pick(props, 'resourceId') !== undefined && pick(props, 'policyAssignmentId') !== undefined && (pick(props, 'complianceState') !== undefined || pick(props, 'isCompliant') !== undefined);
}

/** The key of a policy state: one state per resource, assignment and definition reference (inside an initiative). */
export function policyStateKey(raw: Obj): string | null {
  const props = obj(raw, 'properties') ?? raw;
  const resourceId = nonEmpty(props, 'resourceId');
  const assignment = nonEmpty(props, 'policyAssignmentId');
  if (!resourceId || !assignment) return null;
  const ref = nonEmpty(props, 'policyDefinitionReferenceId') ?? '';
  return `${canonicalArmId(resourceId)}|${canonicalArmId(assignment)}|${ref.toLowerCase()}`;
}

export function normalisePolicyState(raw: Obj, key: string): PolicyStateRecord {
  const props = obj(raw, 'properties') ?? raw;
  const resourceId = nonEmpty(props, 'resourceId') ?? '';
  const p = parseArmId(resourceId);
  const def = nonEmpty(props, 'policyDefinitionId');
  return {
    key,
    resourceId,
    resourceKey: canonicalArmId(resourceId),
    resourceType: nonEmpty(props, 'resourceType'),
    subscriptionId: nonEmpty(props, 'subscriptionId') ?? p.subscriptionId,
    resourceGroup: nonEmpty(props, 'resourceGroup') ?? p.resourceGroup,
    policyAssignmentId: nonEmpty(props, 'policyAssignmentId'),
    policyAssignmentName: nonEmpty(props, 'policyAssignmentName'),
    policyDefinitionId: def,
    policyDefinitionKey: nonEmpty(props, 'policyDefinitionName')?.toLowerCase() ?? (def ? lastIdSegment(def) : null),
    policyDefinitionReferenceId: nonEmpty(props, 'policyDefinitionReferenceId'),
    policySetDefinitionId: nonEmpty(props, 'policySetDefinitionId'),
    complianceState: nonEmpty(props, 'complianceState'),
    isCompliant: bool(props, 'isCompliant'),
    policyDefinitionAction: nonEmpty(props, 'policyDefinitionAction'),
    timestamp: parseTime(pick(props, 'timestamp')),
  };
}
