import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { AppInputOf } from '../../../../shared/contract/transport.ts';
import type { CosignResult } from '../../../../shared/contract/methods/packs.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatDay, shortHash } from '../../format.ts';
import { DropZone } from '../../components/DropZone.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

/** The local signing identities (a local CA and a signing certificate each), and creating one. */
export function IdentitiesPanel() {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const list = useQuery('identities.list', {}, app.dataVersion);
  const [form, setForm] = useState({ name: '', commonName: '', email: '', organisation: '', passphrase: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const input: AppInputOf<'identities.create'> = { name: form.name.trim(), commonName: form.commonName.trim(), passphrase: form.passphrase };
      if (form.email.trim()) input.email = form.email.trim();
      if (form.organisation.trim()) input.organisation = form.organisation.trim();
      await api('identities.create', input);
      setForm({ name: '', commonName: '', email: '', organisation: '', passphrase: '' });
      app.bumpData();
    } catch (err) {
      setError(toApiError('identities.create', err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Signing identities" testId="identities-panel">
      <Text>A local identity is a small certificate authority plus a signing certificate, kept encrypted in the store's folder. Give the CA certificate to whoever verifies your packs so their tools report the signer as trusted.</Text>
      {(list.data ?? []).length > 0 ? (
        <Table size="small" aria-label="Signing identities">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Subject</TableHeaderCell>
              <TableHeaderCell>Valid</TableHeaderCell>
              <TableHeaderCell>CA certificate</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(list.data ?? []).map((i) => (
              <TableRow key={i.name}>
                <TableCell>{i.name}</TableCell>
                <TableCell>
                  {i.subject} <span className={styles.mono}>{shortHash(i.fingerprint)}</span>
                </TableCell>
                <TableCell>
                  {formatDay(i.notBefore)} → {formatDay(i.notAfter)}
                </TableCell>
                <TableCell className={styles.mono}>{i.caPath}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Text size={200}>None yet: one is created the first time a pack is signed with a local identity, or here.</Text>
      )}
      <div className={styles.grid}>
        <Field label="Identity name" required>
          <Input value={form.name} onChange={(_, d) => setForm({ ...form, name: d.value })} placeholder="e.g. audit-2026" />
        </Field>
        <Field label="Name on the certificate" required>
          <Input value={form.commonName} onChange={(_, d) => setForm({ ...form, commonName: d.value })} placeholder="Jane Doe" />
        </Field>
        <Field label="Email">
          <Input value={form.email} onChange={(_, d) => setForm({ ...form, email: d.value })} />
        </Field>
        <Field label="Organisation">
          <Input value={form.organisation} onChange={(_, d) => setForm({ ...form, organisation: d.value })} />
        </Field>
        <Field label="Passphrase" required>
          <Input type="password" value={form.passphrase} onChange={(_, d) => setForm({ ...form, passphrase: d.value })} />
        </Field>
        <Button disabled={busy || !form.name.trim() || !form.commonName.trim() || !form.passphrase} onClick={() => void create()}>
          Create identity
        </Button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </Section>
  );
}

/** Reviewer sign-off: a second signature over a pack's manifest (manifest.reviewer.p7s). */
export function CosignPanel() {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const [path, setPath] = useState('');
  const [kind, setKind] = useState<'local' | 'p12'>('local');
  const [identity, setIdentity] = useState('reviewer');
  const [p12, setP12] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [result, setResult] = useState<CosignResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const native = app.info?.nativeDialogs ?? false;

  async function cosign(p: string) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const signer: AppInputOf<'packs.cosign'>['signer'] = kind === 'local' ? { kind: 'local', identity } : { kind: 'p12', file: p12.trim() };
      setResult(await api('packs.cosign', { path: p, signer, passphrase, role: 'reviewer' }));
      app.bumpData();
    } catch (err) {
      setError(toApiError('packs.cosign', err));
    } finally {
      setBusy(false);
    }
  }

  async function onFiles(files: File[]) {
    const f = files[0];
    if (!f) return;
    try {
      const s = await api('files.stage', { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      setPath(s.path);
    } catch (err) {
      setError(toApiError('files.stage', err));
    }
  }

  return (
    <Section title="Reviewer sign-off" testId="cosign-panel">
      <Text>A reviewer adds their own signature over the pack's manifest. Verification then reports both the preparer and the reviewer. The pack must verify intact first.</Text>
      <DropZone testId="cosign-drop" title="Drop the pack (.zip) to sign" hint="Or give the pack's folder or .zip below. A dropped .zip is signed as a copy in the store's staging folder; its path is shown afterwards." buttonLabel="Choose .zip…" accept=".zip" multiple={false} disabled={busy} onFiles={(f) => void onFiles(f)} />
      <div className={styles.grid}>
        <Field label="Pack folder or .zip">
          <div className={styles.row}>
            <Input value={path} onChange={(_, d) => setPath(d.value)} style={{ flexGrow: 1 }} />
            {native ? (
              <Button onClick={() => void api('dialog.chooseFolder', { title: 'Choose the pack folder' }).then((r) => r.path && setPath(r.path))}>Choose…</Button>
            ) : null}
          </div>
        </Field>
        <Field label="Reviewer's identity">
          <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => setKind(d.value as 'local' | 'p12')}>
            <Radio value="local" label="Local identity" />
            <Radio value="p12" label="PKCS#12 file" />
          </RadioGroup>
        </Field>
        {kind === 'local' ? (
          <Field label="Identity name">
            <Input value={identity} onChange={(_, d) => setIdentity(d.value)} />
          </Field>
        ) : (
          <Field label="PKCS#12 file">
            <Input value={p12} onChange={(_, d) => setP12(d.value)} />
          </Field>
        )}
        <Field label="Passphrase">
          <Input type="password" value={passphrase} onChange={(_, d) => setPassphrase(d.value)} />
        </Field>
        <Button appearance="primary" disabled={busy || !path.trim() || !passphrase} onClick={() => void cosign(path.trim())} data-testid="cosign-button">
          Sign as reviewer
        </Button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {result ? (
        <MessageBar intent="success" layout="multiline" data-testid="cosign-result">
          <MessageBarBody>
            <MessageBarTitle>Signed by {result.signer.subject}</MessageBarTitle>
            <span className={styles.mono}>
              {result.file} in {result.path}
            </span>
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </Section>
  );
}
