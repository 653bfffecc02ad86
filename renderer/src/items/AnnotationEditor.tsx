import { useEffect, useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AppInputOf } from '../../../shared/contract/transport.ts';
import type { AnnotationRow, AnnotationLogEntry } from '../../../shared/contract/methods/annotations.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../api.ts';
import { formatTime, formatValue } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ExceptionForm } from '../components/ExceptionForm.tsx';
import { nameFromKey } from '../item-name.ts';
import { rules, type RuleId } from '../../../shared/domain/findings-rules.ts';

const useStyles = makeStyles({
  form: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM },
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  h: { marginTop: tokens.spacingVerticalM },
  small: { fontSize: tokens.fontSizeBase200 },
});

type OwnerForm = { owner: string; ownerEmail: string; team: string; costCentre: string; criticality: '' | 'high' | 'medium' | 'low'; frontEndGb: string; storageGb: string };

function formFrom(a: AnnotationRow): OwnerForm {
  return {
    owner: a.owner ?? '',
    ownerEmail: a.ownerEmail ?? '',
    team: a.team ?? '',
    costCentre: a.costCentre ?? '',
    criticality: a.criticality ?? '',
    frontEndGb: a.frontEndGb === null ? '' : String(a.frontEndGb),
    storageGb: a.storageGb === null ? '' : String(a.storageGb),
  };
}

function num(s: string): number | null | 'bad' {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : 'bad';
}

/**
 * Owner, criticality, sizes, retention decision, exceptions, restore tests
 * and notes of one item — every save is an entry in the append-only log,
 * shown below the form.
 */
export function AnnotationEditor(props: { itemKey: string; onSaved: () => void }) {
  const styles = useStyles();
  const api = useApi();
  const target = `item:${props.itemKey}`;
  const [version, setVersion] = useState(0);
  const current = useQuery('annotations.get', { target }, version);
  const [form, setForm] = useState<OwnerForm | null>(null);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const a = current.data;

  useEffect(() => {
    if (a) setForm(formFrom(a));
  }, [a]);

  async function save(input: Omit<AppInputOf<'annotations.set'>, 'target'>, what: string) {
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const r = await api('annotations.set', { target, ...input });
      setSaved(r.entries.length === 0 ? 'Nothing changed.' : `${what}: ${r.entries.length} change${r.entries.length === 1 ? '' : 's'} logged.`);
      setVersion((v) => v + 1);
      props.onSaved();
      return true;
    } catch (err) {
      setError(toApiError('annotations.set', err));
      return false;
    } finally {
      setSaving(false);
    }
  }

  async function saveOwner() {
    if (!form || !a) return;
    const before = formFrom(a);
    const input: Omit<AppInputOf<'annotations.set'>, 'target'> = {};
    const text = (k: 'owner' | 'ownerEmail' | 'team' | 'costCentre') => {
      if (form[k] !== before[k]) input[k] = form[k].trim() === '' ? null : form[k].trim();
    };
    text('owner');
    text('ownerEmail');
    text('team');
    text('costCentre');
    if (form.criticality !== before.criticality) input.criticality = form.criticality === '' ? null : form.criticality;
    for (const k of ['frontEndGb', 'storageGb'] as const) {
      if (form[k] !== before[k]) {
        const n = num(form[k]);
        if (n === 'bad') {
          setError(toApiError('annotations.set', new Error(`${k === 'frontEndGb' ? 'Front-end size' : 'Storage size'} must be a number of GB, e.g. 120.5`)));
          return;
        }
        input[k] = n;
      }
    }
    if (Object.keys(input).length === 0) {
      setSaved('Nothing changed.');
      return;
    }
    if (reason.trim()) input.reason = reason.trim();
    if (await save(input, 'Saved')) setReason('');
  }

  if (current.error) return <ErrorNotice error={current.error} onRetry={current.reload} />;
  if (!a || !form) return <Spinner label="Loading annotations…" />;

  return (
    <div className={styles.block} data-testid="annotation-editor">
      <Text size={200}>Annotations hang on the item key, so they carry across snapshots. Every change is logged with who, when and why.</Text>
      <div className={styles.form}>
        <Field label="Owner">
          <Input value={form.owner} onChange={(_, d) => setForm({ ...form, owner: d.value })} data-testid="ann-owner" />
        </Field>
        <Field label="Owner email">
          <Input type="email" value={form.ownerEmail} onChange={(_, d) => setForm({ ...form, ownerEmail: d.value })} data-testid="ann-owner-email" />
        </Field>
        <Field label="Team">
          <Input value={form.team} onChange={(_, d) => setForm({ ...form, team: d.value })} data-testid="ann-team" />
        </Field>
        <Field label="Cost centre">
          <Input value={form.costCentre} onChange={(_, d) => setForm({ ...form, costCentre: d.value })} data-testid="ann-cost-centre" />
        </Field>
        <Field label="Criticality">
          <Dropdown
            value={form.criticality === '' ? 'Not set' : form.criticality}
            selectedOptions={[form.criticality]}
            onOptionSelect={(_, d) => setForm({ ...form, criticality: (d.optionValue ?? '') as OwnerForm['criticality'] })}
            data-testid="ann-criticality"
          >
            <Option value="">Not set</Option>
            <Option value="high">high</Option>
            <Option value="medium">medium</Option>
            <Option value="low">low</Option>
          </Dropdown>
        </Field>
        <Field label="Front-end size (GB)" hint="Sets the instance fee in Cost">
          <Input value={form.frontEndGb} onChange={(_, d) => setForm({ ...form, frontEndGb: d.value })} inputMode="decimal" data-testid="ann-frontend-gb" />
        </Field>
        <Field label="Backup storage (GB)" hint="Sets the storage cost">
          <Input value={form.storageGb} onChange={(_, d) => setForm({ ...form, storageGb: d.value })} inputMode="decimal" data-testid="ann-storage-gb" />
        </Field>
      </div>
      <Field label="Reason for the change (optional, goes into the log)">
        <Input value={reason} onChange={(_, d) => setReason(d.value)} data-testid="ann-reason" />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={saving} onClick={() => void saveOwner()} data-testid="ann-save">
          Save
        </Button>
        {saved ? (
          <Text data-testid="ann-saved" role="status">
            {saved}
          </Text>
        ) : null}
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} testId="ann-error" />

      <Decision annotation={a} saving={saving} onSave={(input) => save(input, 'Decision saved')} />

      <Text weight="semibold" className={styles.h} block>
        Exceptions
      </Text>
      {a.exceptions.length === 0 ? <Text size={200}>None.</Text> : null}
      {a.exceptions.map((e) => (
        <MessageBar key={e.id} intent="info" layout="multiline" data-testid="ann-exception">
          <MessageBarBody>
            <Text weight="semibold">{e.rule}</Text> until {e.expires} — {e.justification} (approved by {e.approver}
            {e.ticket ? `, ticket ${e.ticket}` : ''}; by {e.createdBy} on {formatTime(e.createdAt)})
          </MessageBarBody>
        </MessageBar>
      ))}
      <ExceptionForm target={target} itemKey={props.itemKey} onCreated={() => (setVersion((v) => v + 1), props.onSaved())} />

      <RestoreTests annotation={a} target={target} onSaved={() => (setVersion((v) => v + 1), props.onSaved())} />

      <Text weight="semibold" className={styles.h} block>
        Notes
      </Text>
      {a.notes.map((n, i) => (
        <Text key={i} block>
          • {n}
        </Text>
      ))}
      <div className={styles.actions}>
        <Textarea value={note} onChange={(_, d) => setNote(d.value)} placeholder="Add a note" style={{ flexGrow: 1 }} data-testid="ann-note" />
        <Button disabled={!note.trim() || saving} onClick={() => void save({ note: note.trim() }, 'Note added').then((ok) => ok && setNote(''))}>
          Add note
        </Button>
      </div>

      <Text weight="semibold" className={styles.h} block>
        Change log
      </Text>
      <AnnotationLog entries={a.log} />
    </div>
  );
}

function Decision(props: { annotation: AnnotationRow; saving: boolean; onSave: (input: Omit<AppInputOf<'annotations.set'>, 'target'>) => Promise<boolean> }) {
  const styles = useStyles();
  const d = props.annotation.decision;
  const [decision, setDecision] = useState<'keep' | 'retire' | 'delete'>(d?.decision ?? 'keep');
  const [why, setWhy] = useState(d?.reason ?? '');
  const [after, setAfter] = useState(d?.after ?? '');
  return (
    <>
      <Text weight="semibold" className={styles.h} block>
        Retention decision
      </Text>
      <Text size={200}>{d ? `Current: ${d.decision}${d.after ? ` after ${d.after}` : ''} — ${d.reason}` : 'No decision recorded.'}</Text>
      <div className={styles.form}>
        <Field label="Decision">
          <Dropdown value={decision} selectedOptions={[decision]} onOptionSelect={(_, x) => setDecision((x.optionValue ?? 'keep') as 'keep' | 'retire' | 'delete')} data-testid="ann-decision">
            <Option value="keep">keep</Option>
            <Option value="retire">retire</Option>
            <Option value="delete">delete</Option>
          </Dropdown>
        </Field>
        <Field label="After (YYYY-MM-DD, optional)">
          <Input value={after} onChange={(_, x) => setAfter(x.value)} placeholder="2026-03-31" />
        </Field>
        <Field label="Reason (required)">
          <Input value={why} onChange={(_, x) => setWhy(x.value)} data-testid="ann-decision-reason" />
        </Field>
      </div>
      <div className={styles.actions}>
        <Button disabled={props.saving || !why.trim()} onClick={() => void props.onSave({ decision: { decision, reason: why.trim(), ...(after.trim() ? { after: after.trim() } : {}) } })}>
          Record decision
        </Button>
        {d ? (
          <Button appearance="subtle" disabled={props.saving} onClick={() => void props.onSave({ decision: null, reason: 'decision withdrawn' })}>
            Withdraw decision
          </Button>
        ) : null}
      </div>
    </>
  );
}

function RestoreTests(props: { annotation: AnnotationRow; target: string; onSaved: () => void }) {
  const styles = useStyles();
  const api = useApi();
  const [form, setForm] = useState({ date: '', recoveryPoint: '', outcome: 'passed' as 'passed' | 'failed', durationMin: '', restoreTarget: '', ticket: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function add() {
    setBusy(true);
    setError(null);
    try {
      const input: AppInputOf<'annotations.restoreTest'> = { target: props.target, date: form.date.trim(), recoveryPoint: form.recoveryPoint.trim(), outcome: form.outcome };
      const d = num(form.durationMin);
      if (d === 'bad') throw new Error('Duration must be a number of minutes');
      if (d !== null) input.durationMin = d;
      if (form.restoreTarget.trim()) input.restoreTarget = form.restoreTarget.trim();
      if (form.ticket.trim()) input.ticket = form.ticket.trim();
      await api('annotations.restoreTest', input);
      setForm({ date: '', recoveryPoint: '', outcome: 'passed', durationMin: '', restoreTarget: '', ticket: '' });
      props.onSaved();
    } catch (err) {
      setError(toApiError('annotations.restoreTest', err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Text weight="semibold" className={styles.h} block>
        Restore tests
      </Text>
      {props.annotation.restoreTests.length === 0 ? <Text size={200}>No restore drill recorded. An auditor will ask whether a restore was ever proven.</Text> : null}
      {props.annotation.restoreTests.map((t) => (
        <Text key={t.id} block>
          <Badge appearance="tint" color={t.outcome === 'passed' ? 'success' : 'danger'}>
            {t.outcome}
          </Badge>{' '}
          {t.date}: recovery point {t.recoveryPoint}
          {t.target ? ` → ${t.target}` : ''}
          {t.durationMin !== null ? `, ${t.durationMin} min` : ''}
          {t.tester ? `, by ${t.tester}` : ''}
          {t.ticket ? `, ticket ${t.ticket}` : ''}
        </Text>
      ))}
      <div className={styles.form}>
        <Field label="Date (YYYY-MM-DD)">
          <Input value={form.date} onChange={(_, d) => setForm({ ...form, date: d.value })} />
        </Field>
        <Field label="Recovery point used">
          <Input value={form.recoveryPoint} onChange={(_, d) => setForm({ ...form, recoveryPoint: d.value })} placeholder="time or id" />
        </Field>
        <Field label="Outcome">
          <Dropdown value={form.outcome} selectedOptions={[form.outcome]} onOptionSelect={(_, d) => setForm({ ...form, outcome: (d.optionValue ?? 'passed') as 'passed' | 'failed' })}>
            <Option value="passed">passed</Option>
            <Option value="failed">failed</Option>
          </Dropdown>
        </Field>
        <Field label="Duration (min)">
          <Input value={form.durationMin} onChange={(_, d) => setForm({ ...form, durationMin: d.value })} />
        </Field>
        <Field label="Restored to">
          <Input value={form.restoreTarget} onChange={(_, d) => setForm({ ...form, restoreTarget: d.value })} />
        </Field>
        <Field label="Ticket">
          <Input value={form.ticket} onChange={(_, d) => setForm({ ...form, ticket: d.value })} />
        </Field>
      </div>
      <div className={styles.actions}>
        <Button disabled={busy || !form.date.trim() || !form.recoveryPoint.trim()} onClick={() => void add()}>
          Record restore test
        </Button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </>
  );
}

export function AnnotationLog(props: { entries: AnnotationLogEntry[]; showTarget?: boolean }) {
  // Items by the name the grid shows (issue 15 item 4), not a name read from the lower-cased key.
  const targets = useMemo(() => (props.showTarget ? [...new Set(props.entries.map((e) => e.target).filter((t) => t.startsWith('item:')))].slice(0, 5000) : []), [props.entries, props.showTarget]);
  const names = useQuery('annotations.targetNames', targets.length > 0 ? { targets } : null).data;
  if (props.entries.length === 0) return <Text size={200}>No changes yet.</Text>;
  return (
    <Table size="small" aria-label="Annotation change log" data-testid="ann-log">
      <TableHeader>
        <TableRow>
          <TableHeaderCell style={{ width: 150 }}>When</TableHeaderCell>
          <TableHeaderCell style={{ width: 120 }}>Who</TableHeaderCell>
          {props.showTarget ? <TableHeaderCell style={{ width: 200 }}>Target</TableHeaderCell> : null}
          <TableHeaderCell style={{ width: 110 }}>Field</TableHeaderCell>
          <TableHeaderCell>Before → after</TableHeaderCell>
          <TableHeaderCell>Reason</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {[...props.entries].reverse().map((e) => (
          <TableRow key={e.seq} data-testid="ann-log-row">
            <TableCell>{formatTime(e.at)}</TableCell>
            <TableCell>{e.displayName ? `${e.displayName} (${e.user})` : e.user}</TableCell>
            {props.showTarget ? (
              <TableCell title={e.target} style={{ wordBreak: 'break-all' }} data-testid="ann-log-target">
                {names?.[e.target] ?? targetName(e.target)}
              </TableCell>
            ) : null}
            <TableCell>{e.field.replace(/:.*/, '')}</TableCell>
            <TableCell>
              {summarise(e.oldValue)} → {summarise(e.newValue)}
              {e.applied ? '' : ' (not applied: lost a merge conflict)'}
            </TableCell>
            <TableCell>{e.reason ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function targetName(target: string): string {
  if (target.startsWith('snapshot:')) return `snapshot ${target.slice(9, 17)}`;
  return nameFromKey(target.replace(/^(item|resource):/, ''));
}

function summarise(v: unknown): string {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('rule' in o && 'expires' in o) return `exception ${rules[String(o.rule) as RuleId]?.title ?? String(o.rule)} until ${String(o.expires)}`;
    if ('decision' in o) return `${String(o.decision)}${o.after ? ` after ${String(o.after)}` : ''}`;
    if ('outcome' in o && 'date' in o) return `restore test ${String(o.outcome)} ${String(o.date)}`;
  }
  const s = formatValue(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}
