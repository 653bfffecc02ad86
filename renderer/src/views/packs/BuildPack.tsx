import { useEffect, useRef, useState } from 'react';
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
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FolderOpenRegular } from '@fluentui/react-icons';
import type { AppInputOf } from '../../../../shared/contract/transport.ts';
import { ApiError, toApiError, useApi, useJob, useQuery } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount, formatDay, shortHash, shortId } from '../../format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { JobProgress } from '../../components/JobProgress.tsx';
import { Section } from '../../components/Section.tsx';
import { inStoreFolder, stamp } from '../../paths.ts';
import { SnapshotPicker } from '../../components/SnapshotPicker.tsx';

const useStyles = makeStyles({
  pickers: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalM },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: tokens.spacingHorizontalM, alignItems: 'start' },
  step: { marginTop: tokens.spacingVerticalM, marginBottom: tokens.spacingVerticalXS },
  full: { gridColumn: '1 / -1' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** `<store folder>/packs/<snapshot label>-<stamp>`. */
function defaultOut(storePath: string | undefined, snapshotLabel: string): string {
  const safe = snapshotLabel.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'pack';
  return inStoreFolder(storePath, 'packs', `${safe}-${stamp()}`);
}

export function BuildPack(props: { onVerify: (path: string) => void }) {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const job = useJob('packs.build', 'pack');
  const snapshots = app.snapshots ?? [];
  const current = app.current;
  const baseline = app.baseline && app.baseline !== current ? app.baseline : null;
  const identities = useQuery('identities.list', {}, app.dataVersion);
  const sizes = useQuery('sizes.list', {});
  const [signerKind, setSignerKind] = useState<'local' | 'p12'>('local');
  const [identity, setIdentity] = useState('local');
  const [commonName, setCommonName] = useState('');
  const [p12, setP12] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [remember, setRemember] = useState(false);
  const [out, setOut] = useState('');
  const [zip, setZip] = useState(false);
  const [redact, setRedact] = useState(false);
  const [profile, setProfile] = useState('');
  const [ratecard, setRatecard] = useState('');
  const [sizesId, setSizesId] = useState('');
  const [sampleSeed, setSampleSeed] = useState('');
  const [sampleSize, setSampleSize] = useState('');
  const [tsa, setTsa] = useState('');
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [keychain, setKeychain] = useState<{ canStore: boolean; stored: boolean; backend: string } | null>(null);
  const native = app.info?.nativeDialogs ?? false;
  const identityKey = signerKind === 'local' ? `local:${identity}` : `p12:${p12}`;

  const currentSummary = snapshots.find((s) => s.id === current);
  useEffect(() => {
    if (!out && currentSummary) setOut(defaultOut(app.info?.storePath, currentSummary.label ?? shortId(currentSummary.id)));
  }, [out, currentSummary, app.info?.storePath]);

  // The passphrase may be kept in the OS keychain (desktop app; never where it would be plain text).
  useEffect(() => {
    let live = true;
    void api('passphrase.status', { identity: identityKey }).then(
      async (st) => {
        if (!live) return;
        setKeychain(st);
        if (st.stored) {
          const got = await api('passphrase.get', { identity: identityKey });
          if (live && got.passphrase) setPassphrase(got.passphrase);
        }
      },
      () => live && setKeychain(null),
    );
    return () => {
      live = false;
    };
  }, [api, identityKey]);

  async function chooseFolder() {
    try {
      const r = await api('dialog.chooseFolder', { title: 'Where to write the evidence pack' });
      if (r.path) setOut(r.path);
    } catch (err) {
      setError(toApiError('dialog.chooseFolder', err));
    }
  }

  async function build() {
    setError(null);
    if (!current) return;
    const signer: AppInputOf<'packs.build'>['signer'] =
      signerKind === 'local' ? { kind: 'local', identity, ...(commonName.trim() ? { commonName: commonName.trim() } : {}) } : { kind: 'p12', file: p12.trim() };
    const input: AppInputOf<'packs.build'> = { snapshot: current, out: out.trim(), signer, passphrase, zip };
    if (baseline) input.compare = baseline;
    if (redact) input.redactPrincipals = true;
    if (profile.trim()) input.profile = profile.trim();
    if (ratecard.trim()) input.ratecard = ratecard.trim();
    if (sizesId) input.sizes = sizesId;
    if (tsa.trim()) input.tsa = tsa.trim();
    if (sampleSeed.trim() && sampleSize.trim()) {
      const n = Number(sampleSize);
      if (!Number.isInteger(n) || n < 1) {
        setError(new ApiError('packs.build', { code: 'BAD_INPUT', message: `Sample size must be a whole number of items, got "${sampleSize}"` }));
        return;
      }
      input.sample = { seed: sampleSeed.trim(), size: n };
    }
    const r = await job.start(input);
    if (r) {
      app.bumpData();
      if (remember && keychain?.canStore) void api('passphrase.save', { identity: identityKey, passphrase });
      setOut('');
    }
  }

  const newIdentity = !identities.data?.some((i) => i.name === identity);
  const r = job.result;
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (r) resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [r]);
  return (
    // The primary action sits in the section's header: above the fold at 1280×720, with the form below it.
    <Section
      title="Build a pack"
      testId="pack-build"
      actions={
        <Button appearance="primary" disabled={job.running || !current || !out.trim() || !passphrase || (signerKind === 'p12' && !p12.trim()) || (signerKind === 'local' && newIdentity && !commonName.trim())} onClick={() => void build()} data-testid="pack-build-button">
          Build and sign the pack
        </Button>
      }
    >
      <Text weight="semibold" block className={styles.step}>
        1. What goes in
      </Text>
      <div className={styles.pickers}>
        <SnapshotPicker label="Snapshot" snapshots={snapshots} value={current} onChange={app.setCurrent} testId="pack-snapshot" />
        <SnapshotPicker label="Compare with (changes section)" snapshots={snapshots} value={baseline} onChange={(id) => app.setBaseline(id || null)} testId="pack-baseline" allowNone="No comparison" />
      </div>
      <Text weight="semibold" block className={styles.step}>
        2. Who signs
      </Text>
      <div className={styles.grid}>
        <Field label="Signing identity" className={styles.full}>
          <RadioGroup layout="horizontal" value={signerKind} onChange={(_, d) => setSignerKind(d.value as 'local' | 'p12')}>
            <Radio value="local" label="Local identity (created on first use, kept encrypted in the store's folder)" />
            <Radio value="p12" label="My organisation's certificate (PKCS#12 file)" />
          </RadioGroup>
        </Field>
        {signerKind === 'local' ? (
          <>
            <Field label="Identity">
              <Dropdown value={identity} selectedOptions={[identity]} onOptionSelect={(_, d) => setIdentity(d.optionValue ?? 'local')} data-testid="pack-identity">
                {[...new Set(['local', ...(identities.data ?? []).map((i) => i.name)])].map((n) => {
                  const info = identities.data?.find((i) => i.name === n);
                  return (
                    <Option key={n} value={n} text={n}>
                      {info ? `${n} — ${info.subject}, valid to ${formatDay(info.notAfter)}` : `${n} (created when the first pack is signed)`}
                    </Option>
                  );
                })}
              </Dropdown>
            </Field>
            {!identities.data?.some((i) => i.name === identity) ? (
              // Required here (the CLI keeps its default): a blank name would sign as the OS user, e.g. CN=root.
              <Field label="Name on the new certificate" required hint="Who signs: it is printed on every pack this identity signs.">
                <Input value={commonName} onChange={(_, d) => setCommonName(d.value)} placeholder="e.g. Jane Doe, Internal Audit" data-testid="pack-common-name" />
              </Field>
            ) : null}
          </>
        ) : (
          <Field label="PKCS#12 file (path on this machine)" required>
            <Input value={p12} onChange={(_, d) => setP12(d.value)} placeholder="/path/to/signing.p12" />
          </Field>
        )}
        <Field
          label="Passphrase"
          required
          hint={
            keychain?.stored
              ? 'Filled in from the OS keychain.'
              : keychain?.backend === 'basic_text'
                ? 'This system has no secure keychain: the passphrase is asked for each time and never stored.'
                : signerKind === 'local' && !identities.data?.some((i) => i.name === identity)
                  ? 'Chosen now; protects the new identity. You need it for every pack.'
                  : undefined
          }
        >
          <Input type="password" value={passphrase} onChange={(_, d) => setPassphrase(d.value)} data-testid="pack-passphrase" />
        </Field>
        {keychain?.canStore && !keychain.stored ? <Checkbox checked={remember} onChange={(_, d) => setRemember(!!d.checked)} label="Remember it in the OS keychain" /> : null}
        {keychain?.stored ? (
          <Button
            appearance="subtle"
            onClick={() =>
              void api('passphrase.forget', { identity: identityKey }).then(() => {
                setPassphrase('');
                setKeychain({ ...keychain, stored: false });
              })
            }
          >
            Forget the kept passphrase
          </Button>
        ) : null}
      </div>
      <Text weight="semibold" block className={styles.step}>
        3. Where it goes
      </Text>
      <div className={styles.grid}>
        <Field label="Write the pack to (folder)" required className={styles.full}>
          <div className={styles.row}>
            <Input value={out} onChange={(_, d) => setOut(d.value)} style={{ flexGrow: 1 }} data-testid="pack-out" />
            {native ? (
              <Button icon={<FolderOpenRegular />} onClick={() => void chooseFolder()}>
                Choose…
              </Button>
            ) : null}
          </div>
        </Field>
        <Checkbox checked={zip} onChange={(_, d) => setZip(!!d.checked)} label="As one .zip file (easier to send) instead of a folder" data-testid="pack-zip" />
        {/* What the README's "What a redacted pack proves" says, in one line: the signature still holds, the content hash rests on the signer's word. */}
        <Field hint="A redacted pack still proves its files are what you signed; that its records are the snapshot's then rests on your word, checkable only against the store or an unredacted pack.">
          <Checkbox checked={redact} onChange={(_, d) => setRedact(!!d.checked)} label="Redact principals for third parties: names, UPNs and object ids become per-pack pseudonyms" data-testid="pack-redact" />
        </Field>
      </div>
      <div>
        <Button appearance="subtle" onClick={() => setMore((m) => !m)} aria-expanded={more} data-testid="pack-more">
          {more ? 'Fewer options' : 'More options: sizes, audit profile, rate card, sample, timestamp'}
        </Button>
      </div>
      {more ? (
        <div className={styles.grid}>
          <Field label="Sizes dataset (cost)">
            <Dropdown value={sizesId ? (sizes.data?.find((s) => s.id === sizesId)?.label ?? sizesId) : 'None'} selectedOptions={[sizesId]} onOptionSelect={(_, d) => setSizesId(d.optionValue ?? '')}>
              <Option value="">None</Option>
              {(sizes.data ?? []).map((s) => (
                <Option key={s.id} value={s.id} text={s.label ?? s.fileName}>
                  {s.label ?? s.fileName}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label="Audit profile (JSON file, optional)" hint="Default: the bundled profile">
            <Input value={profile} onChange={(_, d) => setProfile(d.value)} />
          </Field>
          <Field label="Rate card (JSON file, optional)" hint="Default: the bundled USD list prices">
            <Input value={ratecard} onChange={(_, d) => setRatecard(d.value)} />
          </Field>
          <Field label="Sample for testing (optional): seed and size" hint="A reproducible sample of items; the seed is printed in the pack">
            <div className={styles.row}>
              <Input value={sampleSeed} onChange={(_, d) => setSampleSeed(d.value)} placeholder="seed, e.g. Q3-2026" />
              <Input value={sampleSize} onChange={(_, d) => setSampleSize(d.value)} placeholder="size, e.g. 25" style={{ width: 110 }} />
            </div>
          </Field>
          <Field label="Timestamp authority URL (optional)" hint="Without one, the signing time is this computer's clock, and the pack says so">
            <Input value={tsa} onChange={(_, d) => setTsa(d.value)} placeholder="https://…" />
          </Field>
        </div>
      ) : null}
      {job.running ? <JobProgress label="Building the pack" progress={job.progress} onCancel={job.cancel} testId="pack-progress" /> : null}
      {job.cancelled ? (
        <MessageBar intent="warning">
          <MessageBarBody>Pack cancelled. Nothing was left behind.</MessageBarBody>
        </MessageBar>
      ) : null}
      <ErrorNotice error={error ?? job.error} onDismiss={() => (setError(null), job.reset())} testId="pack-error" />
      {r ? (
        <MessageBar intent="success" layout="multiline" data-testid="pack-result" ref={resultRef}>
          <MessageBarBody>
            <MessageBarTitle>Pack {shortId(r.packId)} signed</MessageBarTitle>
            <Text block className={styles.mono} data-testid="pack-result-path">
              {r.path}
            </Text>
            <Text block>
              {formatCount(r.itemCount)} items, {r.files.length} files, manifest {shortHash(r.manifestSha256, 16)}; signed by {r.signer.subject}
              {r.signer.identityCreated ? ' (identity created now)' : ''}. {r.complete ? '' : 'The snapshot is INCOMPLETE and the pack says so.'}
            </Text>
            {r.timestamp ? <Text block>Timestamped by {r.timestamp.tsa} at {r.timestamp.genTime}.</Text> : <Text block>Signing time: this computer's clock (no timestamp authority).</Text>}
            {r.notes.length > 0 ? (
              <ul className={styles.list}>
                {r.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            ) : null}
            <div className={styles.row}>
              {native ? (
                <Button icon={<FolderOpenRegular />} onClick={() => void api('shell.showInFolder', { path: r.path })} data-testid="pack-open-folder">
                  Open folder
                </Button>
              ) : null}
              <Button appearance="primary" onClick={() => props.onVerify(r.path)} data-testid="pack-verify-this">
                Verify this pack
              </Button>
              {r.signer.caPath ? (
                <Badge appearance="outline" title={r.signer.caPath}>
                  CA certificate: {r.signer.caPath.split(/[\\/]/).pop()}
                </Badge>
              ) : null}
            </div>
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </Section>
  );
}
