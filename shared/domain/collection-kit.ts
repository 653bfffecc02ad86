/**
 * The offline collection kit: the exact az CLI and Resource Graph commands a
 * colleague with Azure access runs (Azure Cloud Shell, or any bash with the
 * az CLI) to produce files that `vaultproof import` accepts. The CLI prints
 * it (`vaultproof kit`) and the desktop app shows the same steps.
 *
 * Every output is one the importer recognises: az CLI arrays (items,
 * policies, jobs, vaults), raw ARM list bodies from `az rest`
 * ({value: [...]}), `az graph query` results ({count, data, skip_token}),
 * and collected-at.txt, whose time becomes the snapshot's as-of time.
 */

export type KitStep = {
  id: string;
  title: string;
  /** Why this step matters for the evidence. */
  why: string;
  optional: boolean;
  /** bash lines, in order. */
  commands: string[];
  /** Files the step writes (glob). */
  output: string;
};

export type CollectionKit = {
  shell: 'bash';
  intro: string;
  steps: KitStep[];
  /** All steps as one script (optional steps switched by environment variables). */
  script: string;
  importCommand: string;
};

/** Resource Graph queries shared by the kit and the live collector. */
export const kitQueries = {
  protectedItems:
    "RecoveryServicesResources | where type in~ ('microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems', 'microsoft.dataprotection/backupvaults/backupinstances')",
  vaults: "Resources | where type in~ ('microsoft.recoveryservices/vaults', 'microsoft.dataprotection/backupvaults')",
  policiesAndJobs:
    "RecoveryServicesResources | where type in~ ('microsoft.recoveryservices/vaults/backuppolicies', 'microsoft.recoveryservices/vaults/backupjobs', 'microsoft.dataprotection/backupvaults/backupjobs')",
  inventory: "Resources | where type in~ ('microsoft.compute/virtualmachines', 'microsoft.storage/storageaccounts', 'microsoft.sqlvirtualmachine/sqlvirtualmachines')",
} as const;

/** API versions the kit's `az rest` calls use (the live collector uses the same for Backup vaults). */
export const kitApiVersions = {
  recoveryServicesBackup: '2023-06-01',
  dataProtection: '2024-04-01',
  /** Alert processing rules (Microsoft.AlertsManagement/actionRules), the stable version of the REST spec. */
  alertsManagement: '2021-08-08',
} as const;

const cloudSetting: Record<string, string> = {
  AzureCloud: 'AzureCloud',
  AzureUSGovernment: 'AzureUSGovernment',
  AzureChinaCloud: 'AzureChinaCloud',
};

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Pages through a Resource Graph query into NAME-1.json, NAME-2.json, ... (python3 ships with the az CLI). */
function graphLoop(name: string, query: string): string[] {
  return [
    `page=1; token=""`,
    `while :; do`,
    `  az graph query -q ${q(query)} --first 1000 $GRAPH_SCOPE \${token:+--skip-token "$token"} -o json > "${name}-$page.json"`,
    `  token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("skip_token") or "")' "${name}-$page.json")`,
    `  [ -z "$token" ] && break; page=$((page+1))`,
    `done`,
  ];
}

export function collectionKit(opts: { subscriptions?: string[]; jobsDays?: number; cloud?: string } = {}): CollectionKit {
  const days = opts.jobsDays ?? 7;
  const subs = opts.subscriptions ?? [];
  const cloud = cloudSetting[opts.cloud ?? 'AzureCloud'] ?? 'AzureCloud';
  const steps: KitStep[] = [
    {
      id: 'prepare',
      title: 'Sign in and prepare',
      why: 'The commands read with your Azure rights (Reader and Backup Reader are enough); nothing is changed in Azure.',
      optional: false,
      commands: [
        `az cloud set --name ${cloud}`,
        'az account show -o none || az login',
        'az extension add --name resource-graph --upgrade --only-show-errors',
        'mkdir -p vaultproof-export && cd vaultproof-export',
        subs.length > 0 ? `SUBS="${subs.join(' ')}"` : `SUBS=$(az account list --query "[?state=='Enabled'].id" -o tsv)`,
        'GRAPH_SCOPE="--subscriptions $SUBS"',
      ],
      output: '',
    },
    {
      id: 'time',
      title: 'Record when the data were taken',
      why: 'Every audit rule is judged at this time; the import uses it as the snapshot\'s "as of".',
      optional: false,
      commands: ['date -u +%Y-%m-%dT%H:%M:%SZ > collected-at.txt'],
      output: 'collected-at.txt',
    },
    {
      id: 'rsv',
      title: 'Recovery Services vaults: vaults, protected items, policies, jobs',
      why: `Items with their protection state, last backup and policy; the policies' schedules and retention; backup jobs of the last ${days} days.`,
      optional: false,
      commands: [
        'for SUB in $SUBS; do',
        '  az backup vault list --subscription "$SUB" -o json > "rsv-vaults-$SUB.json"',
        '  az backup vault list --subscription "$SUB" --query "[].[resourceGroup,name]" -o tsv | while read -r RG VAULT; do',
        '    az backup item list --subscription "$SUB" -g "$RG" -v "$VAULT" -o json > "items-$SUB-$VAULT.json"',
        '    az backup policy list --subscription "$SUB" -g "$RG" -v "$VAULT" -o json > "policies-$SUB-$VAULT.json"',
        `    az backup job list --subscription "$SUB" -g "$RG" -v "$VAULT" --start-date "$(date -u -d '-${days} days' +%d-%m-%Y)" --end-date "$(date -u +%d-%m-%Y)" -o json > "jobs-$SUB-$VAULT.json"`,
        '  done',
        'done',
      ],
      output: 'rsv-vaults-*.json, items-*.json, policies-*.json, jobs-*.json',
    },
    {
      id: 'recovery-points',
      title: 'Recovery points per item (optional; one call per item)',
      why: 'Count, oldest and latest recovery point and their tiers, for "has a usable recovery point" evidence and the restore catalog (vaultproof restore-catalog); Backup vault instances\' points are listed with the Backup vaults below.',
      optional: true,
      commands: [
        'if [ -n "${RECOVERY_POINTS:-}" ]; then',
        '  for f in items-*.json; do',
        `    python3 -c 'import json,sys; [print(i["id"]) for i in json.load(open(sys.argv[1]))]' "$f" | while read -r ITEM; do`,
        `      az rest --method get --url "$ITEM/recoveryPoints?api-version=${kitApiVersions.recoveryServicesBackup}" -o json > "rp-$(echo "$ITEM" | sha1sum | cut -c1-16).json"`,
        '    done',
        '  done',
        'fi',
      ],
      output: 'rp-*.json',
    },
    {
      id: 'backup-vaults',
      title: 'Backup vaults (Data Protection): vaults, backup instances, deleted instances',
      why: 'Disks, blobs, AKS and PostgreSQL protected by Backup vaults, including soft-deleted instances.',
      optional: false,
      commands: [
        'for SUB in $SUBS; do',
        `  az rest --method get --url "/subscriptions/$SUB/providers/Microsoft.DataProtection/backupVaults?api-version=${kitApiVersions.dataProtection}" -o json > "bv-vaults-$SUB.json"`,
        `  python3 -c 'import json,sys; [print(v["id"]) for v in json.load(open(sys.argv[1]))["value"]]' "bv-vaults-$SUB.json" | while read -r BV; do`,
        '    N=$(basename "$BV")',
        `    az rest --method get --url "$BV/backupInstances?api-version=${kitApiVersions.dataProtection}" -o json > "bv-instances-$SUB-$N.json"`,
        `    az rest --method get --url "$BV/deletedBackupInstances?api-version=${kitApiVersions.dataProtection}" -o json > "bv-deleted-$SUB-$N.json"`,
        // The instances' recovery points feed the restore catalog, like the items' (optional, one call per instance).
        '    if [ -n "${RECOVERY_POINTS:-}" ]; then',
        `      python3 -c 'import json,sys; [print(i["id"]) for i in json.load(open(sys.argv[1]))["value"]]' "bv-instances-$SUB-$N.json" | while read -r BI; do`,
        `        az rest --method get --url "$BI/recoveryPoints?api-version=${kitApiVersions.dataProtection}" -o json > "rp-$(echo "$BI" | sha1sum | cut -c1-16).json"`,
        '      done',
        '    fi',
        '  done',
        'done',
      ],
      output: 'bv-*.json',
    },
    {
      id: 'access',
      title: 'Access: role assignments and custom roles',
      why: 'Who can delete backup data, stop protection, turn off soft delete or restore: assignments at vault, resource group, subscription and (inherited) management group scope, and the custom roles they name. Built-in roles ship with Vaultproof.',
      optional: false,
      commands: [
        'for SUB in $SUBS; do',
        '  az role assignment list --all --include-inherited --subscription "$SUB" -o json > "role-assignments-$SUB.json"',
        '  az role definition list --custom-role-only true --subscription "$SUB" -o json > "role-definitions-$SUB.json"',
        'done',
      ],
      output: 'role-assignments-*.json, role-definitions-*.json',
    },
    {
      id: 'alerts',
      title: 'Alert routing: action groups and alert processing rules',
      why: 'Whether a failed backup reaches a named receiver (email, SMS, webhook, ITSM); the vaults\' own alert settings come with the vault lists above.',
      optional: false,
      commands: [
        'for SUB in $SUBS; do',
        '  az monitor action-group list --subscription "$SUB" -o json > "action-groups-$SUB.json"',
        `  az rest --method get --url "/subscriptions/$SUB/providers/Microsoft.AlertsManagement/actionRules?api-version=${kitApiVersions.alertsManagement}" -o json > "alert-processing-rules-$SUB.json"`,
        'done',
      ],
      output: 'action-groups-*.json, alert-processing-rules-*.json',
    },
    {
      id: 'policy',
      title: 'Azure Policy compliance states',
      why: 'What Azure Policy says about backup coverage (for example "Azure Backup should be enabled for Virtual Machines"), to reconcile with the items.',
      optional: false,
      commands: ['for SUB in $SUBS; do', '  az policy state list --subscription "$SUB" -o json > "policy-states-$SUB.json"', 'done'],
      output: 'policy-states-*.json',
    },
    {
      id: 'inventory',
      title: 'Workload inventory (Resource Graph)',
      why: 'VMs, storage accounts and SQL VMs, so the analysis can list workloads without any backup.',
      optional: false,
      commands: graphLoop('inventory', kitQueries.inventory),
      output: 'inventory-*.json',
    },
    {
      id: 'fast-path',
      title: 'Resource Graph fast path (optional; tenants with thousands of vaults)',
      why: 'All protected items, vaults, policies and jobs of every subscription in a few paged queries, instead of one call per vault.',
      optional: true,
      commands: [
        'if [ -n "${FAST_PATH:-}" ]; then',
        ...graphLoop('arg-items', kitQueries.protectedItems).map((l) => `  ${l}`),
        ...graphLoop('arg-vaults', kitQueries.vaults).map((l) => `  ${l}`),
        ...graphLoop('arg-policies-jobs', kitQueries.policiesAndJobs).map((l) => `  ${l}`),
        'fi',
      ],
      output: 'arg-*.json',
    },
  ];
  const script = [
    '#!/usr/bin/env bash',
    '# Vaultproof offline collection kit. Read-only: it only lists and reads.',
    '# Optional: RECOVERY_POINTS=1 (one call per item), FAST_PATH=1 (Resource Graph for large tenants).',
    'set -euo pipefail',
    ...steps.flatMap((s) => ['', `# ${s.title}`, ...s.commands]),
    '',
    'echo "Done. Send the folder vaultproof-export (all files) to the auditor."',
  ].join('\n');
  return {
    shell: 'bash',
    intro:
      'Run these commands in Azure Cloud Shell (bash) or any bash with the az CLI, signed in with read access to the subscriptions. They write JSON files into ./vaultproof-export; give the whole folder to the auditor, who imports it with the command below.',
    steps,
    script,
    importCommand: 'vaultproof import vaultproof-export/*.json vaultproof-export/collected-at.txt --label "Offline collection"',
  };
}
