import { useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Radio,
  RadioGroup,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AuthMethod, CollectInclude, CollectStartInput } from '../../../shared/contract/methods/collect.ts';
import { cloudPresets } from '../../../shared/domain/azure-clouds.ts';
import { useJob } from '../api.ts';
import { useAppState } from '../state.tsx';
import { formatCount, shortId } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { JobProgress } from '../components/JobProgress.tsx';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: tokens.spacingHorizontalM },
  full: { gridColumn: '1 / -1' },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'center' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

const authLabels: Record<AuthMethod, string> = {
  cli: 'Azure CLI (reuse `az login`)',
  browser: 'Sign in with a browser',
  device: 'Device code (sign in on another device)',
  sp: 'Service principal (app id + secret or certificate)',
};

const includeLabels: Record<CollectInclude, string> = {
  'recovery-points': 'Recovery points per item (one call per item: slower)',
  jobs: 'Backup jobs',
  inventory: 'Workload inventory (VMs, storage, SQL VMs) for coverage',
  'backup-vaults': 'Backup vaults (Microsoft.DataProtection)',
  access: 'Role assignments and custom roles (who can delete or restore)',
  alerts: 'Action groups and alert processing rules (who hears a failed backup)',
  policy: 'Azure Policy compliance of the backup definitions (to reconcile with the items)',
};

// Kept here rather than imported: the contract module carries zod, which the renderer bundle does without.
const authMethods: readonly AuthMethod[] = ['cli', 'browser', 'device', 'sp'];
const collectIncludes: readonly CollectInclude[] = ['recovery-points', 'jobs', 'inventory', 'backup-vaults', 'access', 'alerts', 'policy'];
const defaultCollectIncludes: readonly CollectInclude[] = ['jobs', 'inventory', 'backup-vaults'];

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

/** Collect from Azure: sign-in choice, cloud, subscriptions; runs as a cancellable job. */
export function CollectForm() {
  const styles = useStyles();
  const app = useAppState();
  const job = useJob('collect.start', 'collect');
  const [auth, setAuth] = useState<AuthMethod>('cli');
  const [cloud, setCloud] = useState<string>('AzureCloud');
  const [armEndpoint, setArmEndpoint] = useState('');
  const [authorityHost, setAuthorityHost] = useState('');
  const [caFile, setCaFile] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [all, setAll] = useState(true);
  const [subs, setSubs] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [clientCertificate, setClientCertificate] = useState('');
  const [include, setInclude] = useState<CollectInclude[]>([...defaultCollectIncludes]);
  const [label, setLabel] = useState('');

  const subscriptions = subs.match(GUID) ?? [];

  async function start() {
    const input: CollectStartInput = all ? { allSubscriptions: true } : { subscriptions };
    input.auth = auth;
    input.cloud = cloud as CollectStartInput['cloud'];
    if (cloud === 'custom') {
      input.armEndpoint = armEndpoint.trim();
      input.authorityHost = authorityHost.trim();
      if (caFile.trim()) input.caFile = caFile.trim();
    }
    if (tenantId.trim()) input.tenantId = tenantId.trim();
    if (clientId.trim()) input.clientId = clientId.trim();
    if (auth === 'sp') {
      if (clientCertificate.trim()) input.clientCertificate = clientCertificate.trim();
      else if (clientSecret) input.clientSecret = clientSecret;
    }
    input.include = include;
    if (label.trim()) input.label = label.trim();
    const r = await job.start(input);
    setClientSecret('');
    if (r) {
      app.reloadSnapshots();
      app.setCurrent(r.snapshotId);
      app.bumpData();
    }
  }

  const r = job.result;
  const failed = r?.coverage.filter((c) => c.status === 'failed') ?? [];
  return (
    <div data-testid="collect-form">
      <div className={styles.grid}>
        <Field label="Sign in with" className={styles.full}>
          <RadioGroup value={auth} onChange={(_, d) => setAuth(d.value as AuthMethod)} layout="horizontal" data-testid="collect-auth">
            {authMethods.map((m) => (
              <Radio key={m} value={m} label={authLabels[m]} />
            ))}
          </RadioGroup>
        </Field>
        <Field label="Cloud">
          <Dropdown value={cloud === 'custom' ? 'Custom cloud (Azure Stack Hub, private)' : (cloudPresets.find((c) => c.name === cloud)?.label ?? cloud)} selectedOptions={[cloud]} onOptionSelect={(_, d) => setCloud(d.optionValue ?? 'AzureCloud')}>
            {cloudPresets.map((c) => (
              <Option key={c.name} value={c.name}>
                {c.label}
              </Option>
            ))}
            <Option value="custom">Custom cloud (Azure Stack Hub, private)</Option>
          </Dropdown>
        </Field>
        <Field label="Tenant (optional)" hint="Tenant id or domain; default: the sign-in's home tenant">
          <Input value={tenantId} onChange={(_, d) => setTenantId(d.value)} />
        </Field>
        {cloud === 'custom' ? (
          <>
            <Field label="ARM endpoint" required>
              <Input value={armEndpoint} onChange={(_, d) => setArmEndpoint(d.value)} placeholder="https://management.local.azurestack.external" />
            </Field>
            <Field label="Authority host" required>
              <Input value={authorityHost} onChange={(_, d) => setAuthorityHost(d.value)} placeholder="https://login.example" />
            </Field>
            <Field label="Extra CA certificate (PEM file path, optional)">
              <Input value={caFile} onChange={(_, d) => setCaFile(d.value)} />
            </Field>
          </>
        ) : null}
        {auth === 'sp' || auth === 'browser' || auth === 'device' ? (
          <Field label={auth === 'sp' ? 'Application (client) id' : 'Client id (optional)'} required={auth === 'sp'}>
            <Input value={clientId} onChange={(_, d) => setClientId(d.value)} />
          </Field>
        ) : null}
        {auth === 'sp' ? (
          <>
            <Field label="Client secret" hint="Kept in memory for this collection only; never stored.">
              <Input type="password" value={clientSecret} onChange={(_, d) => setClientSecret(d.value)} disabled={!!clientCertificate.trim()} />
            </Field>
            <Field label="…or certificate (PEM file path)">
              <Input value={clientCertificate} onChange={(_, d) => setClientCertificate(d.value)} disabled={!!clientSecret} />
            </Field>
          </>
        ) : null}
        <Field label="Subscriptions" className={styles.full}>
          <Checkbox checked={all} onChange={(_, d) => setAll(!!d.checked)} label="Every subscription I can read" data-testid="collect-all" />
          {!all ? (
            <>
              <Textarea value={subs} onChange={(_, d) => setSubs(d.value)} placeholder="Paste subscription ids (GUIDs), one per line" data-testid="collect-subscriptions" />
              <Text size={200}>{subscriptions.length} subscription id{subscriptions.length === 1 ? '' : 's'} recognised</Text>
            </>
          ) : null}
        </Field>
        <Field label="Also collect" className={styles.full}>
          {collectIncludes.map((c) => (
            <Checkbox key={c} checked={include.includes(c)} label={includeLabels[c]} onChange={(_, d) => setInclude((cur) => (d.checked ? [...cur, c] : cur.filter((x) => x !== c)))} />
          ))}
        </Field>
        <Field label="Label (optional)">
          <Input value={label} onChange={(_, d) => setLabel(d.value)} />
        </Field>
      </div>
      <div className={styles.row} style={{ marginTop: tokens.spacingVerticalM }}>
        <Button appearance="primary" disabled={job.running || (!all && subscriptions.length === 0)} onClick={() => void start()} data-testid="collect-start">
          Collect now
        </Button>
        <Text size={200}>Read-only: Vaultproof only reads (Reader and Backup Reader roles suffice). Tokens stay in memory.</Text>
      </div>
      {job.running ? <JobProgress label="Collecting from Azure" progress={job.progress} onCancel={job.cancel} testId="collect-progress" /> : null}
      {job.cancelled ? (
        <MessageBar intent="warning">
          <MessageBarBody>Collection cancelled. No snapshot was written.</MessageBarBody>
        </MessageBar>
      ) : null}
      <ErrorNotice error={job.error} onDismiss={job.reset} />
      {r ? (
        <MessageBar intent={r.complete ? 'success' : 'warning'} layout="multiline" data-testid="collect-result">
          <MessageBarBody>
            <MessageBarTitle>
              {r.complete ? 'Collected' : 'Collected, but incomplete'}: {formatCount(r.itemCount)} items in snapshot {shortId(r.snapshotId)}
            </MessageBarTitle>
            <Text block>
              {formatCount(r.requests.total)} requests ({formatCount(r.requests.retried)} retried, {formatCount(r.requests.throttled)} throttled).
            </Text>
            {failed.length > 0 ? (
              <ul className={styles.list}>
                {failed.map((c) => (
                  <li key={c.scope}>
                    <Badge color="danger" appearance="tint">
                      failed
                    </Badge>{' '}
                    {c.scope}: {c.error ? `${c.error.code} — ${c.error.message}` : 'unknown error'}
                  </li>
                ))}
              </ul>
            ) : null}
            {r.warnings.map((w, i) => (
              <Text key={i} block>
                {w}
              </Text>
            ))}
            <Button appearance="primary" onClick={() => app.go('snapshots')}>
              See the snapshot
            </Button>
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
