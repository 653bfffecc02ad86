import { useState } from 'react';
import { Button, Dropdown, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Option, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { OwnerField, OwnersImportReport } from '../../../../shared/contract/methods/annotations.ts';
import { toApiError, useApi, type ApiError } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount } from '../../format.ts';
import { DropZone } from '../../components/DropZone.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

const fields: Array<[OwnerField, string]> = [
  ['owner', 'Owner'],
  ['ownerEmail', 'Owner email'],
  ['team', 'Team'],
  ['costCentre', 'Cost centre'],
  ['criticality', 'Criticality'],
];
const matchKinds = [
  ['resourceId', 'Resource id'],
  ['name', 'Name'],
  ['resourceGroup', 'Resource group'],
  ['tag', 'Tag…'],
] as const;

/** The header of a CSV (first line; quotes and "" handled), to offer its columns. */
export function csvHeader(text: string): string[] {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.filter((h) => h !== '');
}

/** Owners and cost centres from a CMDB export: map the columns, preview, then apply. */
export function OwnersImportPanel() {
  const styles = useStyles();
  const app = useAppState();
  const api = useApi();
  const [file, setFile] = useState<{ name: string; path: string; columns: string[] } | null>(null);
  const [matchColumn, setMatchColumn] = useState('');
  const [matchBy, setMatchBy] = useState<string>('resourceId');
  const [tag, setTag] = useState('');
  const [map, setMap] = useState<Partial<Record<OwnerField, string>>>({});
  const [report, setReport] = useState<OwnersImportReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function onFiles(files: File[]) {
    const f = files[0];
    if (!f) return;
    setError(null);
    setReport(null);
    try {
      const bytes = new Uint8Array(await f.arrayBuffer());
      const columns = csvHeader(new TextDecoder().decode(bytes.slice(0, 65536)));
      const s = await api('files.stage', { name: f.name, bytes });
      setFile({ name: f.name, path: s.path, columns });
      const guess = (re: RegExp) => columns.find((c) => re.test(c));
      setMatchColumn(guess(/resource.?id|^id$/i) ?? guess(/name/i) ?? columns[0] ?? '');
      setMatchBy(guess(/resource.?id|^id$/i) ? 'resourceId' : 'name');
      const m: Partial<Record<OwnerField, string>> = {};
      const o = guess(/owner(?!.*mail)/i);
      if (o) m.owner = o;
      const e = guess(/mail/i);
      if (e) m.ownerEmail = e;
      const t = guess(/team/i);
      if (t) m.team = t;
      const c = guess(/cost.?cent/i);
      if (c) m.costCentre = c;
      setMap(m);
    } catch (err) {
      setError(toApiError('files.stage', err));
    }
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const columns = Object.fromEntries(Object.entries(map).filter(([, v]) => v)) as Partial<Record<OwnerField, string>>;
      const r = await api('owners.import', {
        path: file.path,
        match: { column: matchColumn, by: matchBy === 'tag' ? `tag:${tag.trim()}` : matchBy },
        columns,
        dryRun,
        ...(app.current ? { snapshot: app.current } : {}),
      });
      setReport(r);
      if (!dryRun) app.bumpData();
    } catch (err) {
      setError(toApiError('owners.import', err));
    } finally {
      setBusy(false);
    }
  }

  const col = (value: string, onChange: (v: string) => void, testId?: string, allowNone = false) => (
    <Dropdown value={value || (allowNone ? 'Not imported' : '')} selectedOptions={[value]} onOptionSelect={(_, d) => onChange(d.optionValue ?? '')} data-testid={testId}>
      {allowNone ? <Option value="">Not imported</Option> : null}
      {(file?.columns ?? []).map((c) => (
        <Option key={c} value={c}>
          {c}
        </Option>
      ))}
    </Dropdown>
  );

  return (
    <Section title="Import owners from a CSV (CMDB export)" testId="owners-import-panel">
      <DropZone testId="owners-drop" title="Drop a CSV with owners" hint="One row per resource: an id, name, resource group or tag to match on, and owner, email, team, cost centre or criticality columns." buttonLabel="Choose CSV…" accept=".csv" multiple={false} disabled={busy} onFiles={(f) => void onFiles(f)} />
      {file ? (
        <>
          <Text>
            {file.name}: columns {file.columns.join(', ')}
          </Text>
          <div className={styles.grid}>
            <Field label="Match on column">{col(matchColumn, setMatchColumn, 'owners-match-column')}</Field>
            <Field label="…which holds">
              <Dropdown value={matchKinds.find(([k]) => k === matchBy)?.[1] ?? matchBy} selectedOptions={[matchBy]} onOptionSelect={(_, d) => setMatchBy(d.optionValue ?? 'resourceId')}>
                {matchKinds.map(([k, l]) => (
                  <Option key={k} value={k}>
                    {l}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            {matchBy === 'tag' ? (
              <Field label="Tag name">
                <Input value={tag} onChange={(_, d) => setTag(d.value)} />
              </Field>
            ) : null}
            {fields.map(([f, label]) => (
              <Field key={f} label={label}>
                {col(map[f] ?? '', (v) => setMap((m) => ({ ...m, [f]: v })), undefined, true)}
              </Field>
            ))}
          </div>
          <div className={styles.row}>
            <Button disabled={busy || !matchColumn} onClick={() => void run(true)} data-testid="owners-preview">
              Preview
            </Button>
            <Button appearance="primary" disabled={busy || !report || !report.dryRun} onClick={() => void run(false)} data-testid="owners-apply">
              Apply
            </Button>
          </div>
        </>
      ) : null}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {report ? (
        <MessageBar intent={report.dryRun ? 'info' : 'success'} layout="multiline" data-testid="owners-report">
          <MessageBarBody>
            <MessageBarTitle>{report.dryRun ? 'Preview — nothing written yet' : 'Applied'}</MessageBarTitle>
            {formatCount(report.rows)} rows: {formatCount(report.matched.length)} matched, {formatCount(report.ambiguous.length)} ambiguous, {formatCount(report.unmatched.length)} unmatched; {formatCount(report.changes.length)} field changes
            {report.dryRun ? '' : `, ${formatCount(report.entriesWritten)} log entries written`}.
            {report.warnings.slice(0, 10).map((w, i) => (
              <div key={i}>{w}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {report && (report.ambiguous.length > 0 || report.unmatched.length > 0) ? (
        <Table size="small" aria-label="Rows not applied">
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: 70 }}>Line</TableHeaderCell>
              <TableHeaderCell>Value</TableHeaderCell>
              <TableHeaderCell>Why not applied</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {[...report.ambiguous.map((r) => ({ ...r, why: r.reason ?? `ambiguous: ${(r.candidates ?? []).length} candidates` })), ...report.unmatched.map((r) => ({ ...r, why: 'matches no item' }))]
              .slice(0, 200)
              .map((r) => (
                <TableRow key={`${r.line}-${r.value}`}>
                  <TableCell>{r.line}</TableCell>
                  <TableCell>{r.value}</TableCell>
                  <TableCell>{r.why}</TableCell>
                </TableRow>
              ))}
          </TableBody>
        </Table>
      ) : null}
    </Section>
  );
}
