import { useEffect, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FolderOpenRegular, ShieldCheckmarkRegular, ShieldDismissRegular } from '@fluentui/react-icons';
import type { PackVerifyResult } from '../../../../shared/contract/methods/packs.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatTime, shortHash } from '../../format.ts';
import { DropZone } from '../../components/DropZone.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  verdict: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  verdictText: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

/** Verify a pack: drop its .zip, or give its folder; the verdict names the first file that does not match. */
export function VerifyPack(props: { presetPath: string | null }) {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const identities = useQuery('identities.list', {}, app.dataVersion);
  const [path, setPath] = useState('');
  // Off by default: a pack signed by one's own identity is not evidence for anyone else; trusting it is a choice.
  const [trustLocal, setTrustLocal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ path: string; r: PackVerifyResult } | null>(null);
  const [runs, setRuns] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const native = app.info?.nativeDialogs ?? false;
  const verdictRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (runs > 0) verdictRef.current?.scrollIntoView({ block: 'nearest' });
  }, [runs]);

  async function verify(p: string) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const trust = trustLocal ? [...new Set((identities.data ?? []).map((i) => i.caPath))] : [];
      const r = await api('packs.verify', { path: p, ...(trust.length ? { trust } : {}) });
      setResult({ path: p, r });
      setRuns((n) => n + 1);
    } catch (err) {
      setError(toApiError('packs.verify', err));
    } finally {
      setBusy(false);
    }
  }

  // Verify once per pack handed over by the build panel (not again when `verify` changes identity).
  const verifyRef = useRef(verify);
  verifyRef.current = verify;
  useEffect(() => {
    if (props.presetPath) {
      setPath(props.presetPath);
      void verifyRef.current(props.presetPath);
    }
  }, [props.presetPath]);

  async function onFiles(files: File[]) {
    const f = files[0];
    if (!f) return;
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      const staged = await api('files.stage', { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      setPath(f.name);
      await verify(staged.path);
    } catch (err) {
      setError(toApiError('files.stage', err));
      setBusy(false);
    }
  }

  async function chooseFolder() {
    const r = await api('dialog.chooseFolder', { title: 'Choose the evidence pack folder' });
    if (r.path) {
      setPath(r.path);
      await verify(r.path);
    }
  }

  const v = result?.r;
  // The preparer is one of this machine's own identities: the pack proves integrity, not independence.
  const norm = (f: string | null | undefined) => (f ?? '').replace(/[^0-9a-f]/gi, '').toLowerCase();
  const own = new Map((identities.data ?? []).map((i) => [norm(i.fingerprint), i.subject] as const));
  const selfSigned = v?.signatures.find((sg) => sg.role === 'preparer' && sg.fingerprint && own.has(norm(sg.fingerprint)))?.subject ?? null;
  return (
    <Section title="Verify a pack" testId="pack-verify">
      <DropZone
        testId="verify-drop"
        title="Drop an evidence pack (.zip) here"
        hint="Checks the manifest signature(s), every file's hash, the PDF's embedded signature, timestamps, and the snapshot data against its recorded hashes."
        buttonLabel="Choose .zip…"
        accept=".zip,application/zip"
        multiple={false}
        disabled={busy}
        onFiles={(f) => void onFiles(f)}
      />
      <div className={styles.row}>
        <Field label="…or the pack's folder or .zip on this machine" style={{ flexGrow: 1 }}>
          <Input value={path} onChange={(_, d) => setPath(d.value)} data-testid="verify-path" />
        </Field>
        {native ? (
          <Button icon={<FolderOpenRegular />} onClick={() => void chooseFolder()}>
            Choose folder…
          </Button>
        ) : null}
        <Button appearance="primary" disabled={busy || !path.trim()} onClick={() => void verify(path.trim())} data-testid="verify-button">
          Verify
        </Button>
      </div>
      <Checkbox checked={trustLocal} onChange={(_, d) => setTrustLocal(!!d.checked)} label="Trust my local identities (packs I signed myself on this machine)" data-testid="verify-trust-local" />
      {busy ? <Spinner label="Verifying…" /> : null}
      <ErrorNotice error={error} onDismiss={() => setError(null)} testId="verify-error" />
      {v ? (
        <div ref={verdictRef}>
          <MessageBar intent={v.intact ? (v.allSignersTrusted ? 'success' : 'warning') : 'error'} layout="multiline" data-testid="verify-verdict" data-verdict={v.intact ? (v.allSignersTrusted ? 'trusted' : 'intact') : 'failed'} data-run={runs}>
            <MessageBarBody>
              <div className={styles.verdict}>
                {v.intact ? <ShieldCheckmarkRegular fontSize={32} /> : <ShieldDismissRegular fontSize={32} />}
                <div>
                  <MessageBarTitle className={styles.verdictText}>
                    {v.intact
                      ? v.allSignersTrusted
                        ? 'Intact — signed, and every signer is trusted'
                        : 'Intact — signatures valid, but a signer is not trusted'
                      : `NOT intact — ${v.firstFailure ? v.firstFailure.file : 'verification failed'}`}
                  </MessageBarTitle>
                  {!v.intact && v.firstFailure ? (
                    <Text block className={styles.mono} data-testid="verify-failure-detail">
                      {v.firstFailure.reason}
                    </Text>
                  ) : null}
                  {selfSigned ? (
                    <Text block weight="semibold" data-testid="verify-self-signed">
                      Signed by you — not independent evidence: the signer is a local identity of this machine ({selfSigned}).
                    </Text>
                  ) : null}
                  <Text block>
                    Pack {v.packId ?? '?'} · created {formatTime(v.createdAt)} · Vaultproof {v.toolVersion ?? '?'} · {v.files.matching} of {v.files.checked} files match
                  </Text>
                  {!v.intact ? <Text block>Do not rely on this pack. Ask its author for a fresh copy; the file named above was changed after signing.</Text> : null}
                  {v.intact && !v.allSignersTrusted ? <Text block>The content is unchanged since signing. To trust the signer, get their CA certificate through a channel you trust.</Text> : null}
                </div>
              </div>
            </MessageBarBody>
          </MessageBar>
          <Table size="small" aria-label="Signatures" data-testid="verify-signatures">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Signature</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Signer</TableHeaderCell>
                <TableHeaderCell>Signed at</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {v.signatures.map((s) => (
                <TableRow key={`${s.role}-${s.file}`}>
                  <TableCell>
                    {s.role} <span className={styles.mono}>{s.file}</span>
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={!s.valid ? 'danger' : s.trusted ? 'success' : 'warning'}>
                      {s.status}
                    </Badge>
                    {s.problem ? <Text size={200}> {s.problem}</Text> : null}
                  </TableCell>
                  <TableCell>
                    {s.subject ?? '—'} <span className={styles.mono}>{shortHash(s.fingerprint)}</span>
                  </TableCell>
                  <TableCell>
                    {formatTime(s.signingTime)} ({s.timeSource})
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {v.snapshots.length > 0 ? (
            <Table size="small" aria-label="Snapshot data">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Snapshot data</TableHeaderCell>
                  <TableHeaderCell>Content hash (recorded)</TableHeaderCell>
                  <TableHeaderCell>Recomputed</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {v.snapshots.map((s) => (
                  <TableRow key={s.id}>
                    <TableCell>
                      {s.role} <span className={styles.mono}>{s.id}</span>
                    </TableCell>
                    <TableCell className={styles.mono}>{shortHash(s.contentHash, 20)}</TableCell>
                    <TableCell>
                      {/* A redacted pack's snapshot cannot give its hash back: said, not shown as a match. */}
                      <Badge appearance="tint" color={!s.ok ? 'danger' : s.redacted ? 'warning' : 'success'}>
                        {!s.ok ? 'differs' : s.redacted ? 'not recomputed: principals redacted' : 'matches'}
                      </Badge>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
          {v.failures.length > 1 ? (
            <Text block>
              Other failures: {v.failures.slice(1).map((f) => `${f.file}: ${f.reason}`).join('; ')}
            </Text>
          ) : null}
          {v.warnings.map((w, i) => (
            <Text key={i} block size={200}>
              Note: {w}
            </Text>
          ))}
        </div>
      ) : null}
    </Section>
  );
}
