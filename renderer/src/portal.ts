/**
 * Enum values in the Azure portal's words (the grid, filters and findings);
 * the raw value stays in the drawer's Fields and Raw JSON. Unknown values
 * fall back to their words split apart ("ActionSuggested" → "Action suggested").
 */

const words: Record<string, Record<string, string>> = {
  protectionState: {
    protected: 'Protected',
    protectionstopped: 'Protection stopped',
    irpending: 'Initial backup pending',
    protectionerror: 'Protection error',
    protectionpaused: 'Protection paused',
    backupssuspended: 'Backups suspended',
    invalid: 'Invalid',
  },
  healthStatus: {
    passed: 'Passed',
    actionrequired: 'Action required',
    actionsuggested: 'Action suggested',
    invalid: 'Invalid',
  },
  lastBackupStatus: {
    completed: 'Completed',
    failed: 'Failed',
    healthy: 'Healthy',
    unhealthy: 'Unhealthy',
    irpending: 'Initial backup pending',
    completedwithwarnings: 'Completed with warnings',
    inprogress: 'In progress',
  },
  workloadType: {
    vm: 'Azure Virtual Machine',
    sqldatabase: 'SQL Database',
    saphanadatabase: 'SAP HANA Database',
    saphanadbinstance: 'SAP HANA Instance',
    sapasedatabase: 'SAP ASE Database',
    azurefileshare: 'Azure Files',
    azuresqldb: 'Azure SQL Database',
    filefolder: 'Files and folders',
    azureblob: 'Azure Blobs',
    azuredisk: 'Azure Disks',
    azuredatabaseforpostgresql: 'Azure Database for PostgreSQL',
    kubernetes: 'Kubernetes',
  },
  backupManagementType: {
    azureiaasvm: 'Azure Virtual Machine',
    azureworkload: 'Azure Workload',
    azurestorage: 'Azure Storage (Azure Files)',
    azuresql: 'Azure SQL',
    mab: 'Azure Backup Agent',
    dpm: 'DPM',
    azurebackupserver: 'Azure Backup Server',
  },
};

function splitWords(v: string): string {
  const s = v.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** The portal's word for `value` of `field`; null/empty stays as it is. */
export function portalWord(field: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return value ?? '';
  const known = words[field]?.[value.toLowerCase()] ?? words[field]?.[value];
  if (known) return known;
  if (field in words) return splitWords(value);
  return value;
}
