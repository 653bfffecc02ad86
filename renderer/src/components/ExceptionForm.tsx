import { useEffect, useMemo, useState } from 'react';
import { Button, Checkbox, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { ruleIds, rules } from '../../../shared/domain/findings-rules.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../api.ts';
import { useAppState } from '../state.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { DateField, dayInWords, parseDay } from './DateField.tsx';

const useStyles = makeStyles({
  form: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM, alignItems: 'start' },
  full: { gridColumn: '1 / -1' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalS },
});

const ALL = 'all';

function inDays(days: number): string {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

export function ruleLabel(id: string): string {
  return id === ALL ? 'All rules (blanket waiver)' : `${rules[id as keyof typeof rules]?.title ?? id} (${id})`;
}

/**
 * Records an exception (a finding accepted until a date) on a target. The
 * rule is a specific one by default — the finding's, or the item's first
 * open finding — because one careless click must never waive every rule:
 * "all rules" has to be chosen and then confirmed in words. The expiry
 * starts at the audit profile's longest allowed exception and is required.
 * The server validates again (known rule, future expiry within the profile).
 */
export function ExceptionForm(props: { target: string; rule?: string; itemKey?: string; onCreated: () => void; onCancel?: () => void; startOpen?: boolean }) {
  const styles = useStyles();
  const api = useApi();
  const app = useAppState();
  const [open, setOpen] = useState(props.startOpen ?? false);
  const [rule, setRule] = useState<string | null>(props.rule ?? null);
  const [confirmAll, setConfirmAll] = useState(false);
  const [justification, setJustification] = useState('');
  const [approver, setApprover] = useState('');
  const [expires, setExpires] = useState('');
  const [ticket, setTicket] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const profile = useQuery('profiles.default', open ? {} : null);
  // The item's open findings, to default the rule (asked only once the form is open).
  const findings = useQuery('findings.run', open && !props.rule && props.itemKey && app.current ? { snapshot: app.current } : null, app.dataVersion);
  const openRules = useMemo(() => {
    const out: string[] = [];
    for (const f of findings.data?.findings ?? []) if (f.key === props.itemKey && !f.excepted && !out.includes(f.rule)) out.push(f.rule);
    return out;
  }, [findings.data, props.itemKey]);
  const maxDays = profile.data?.profile.maxExceptionDays ?? null;

  useEffect(() => {
    if (rule === null && openRules[0]) setRule(openRules[0]);
  }, [openRules, rule]);
  useEffect(() => {
    if (maxDays !== null) setExpires((e) => e || inDays(maxDays));
  }, [maxDays]);

  if (!open) {
    return (
      <div>
        <Button onClick={() => setOpen(true)} data-testid="exception-open">
          Add exception…
        </Button>
      </div>
    );
  }

  const day = parseDay(expires);
  const ready = rule !== null && (rule !== ALL || confirmAll) && justification.trim() !== '' && approver.trim() !== '' && day !== null;

  async function create() {
    if (!ready || rule === null || day === null) return;
    setBusy(true);
    setError(null);
    try {
      await api('annotations.set', {
        target: props.target,
        exception: { rule, justification: justification.trim(), approver: approver.trim(), expires: day, ...(ticket.trim() ? { ticket: ticket.trim() } : {}) },
      });
      setJustification('');
      setTicket('');
      setConfirmAll(false);
      setOpen(props.startOpen ?? false);
      props.onCreated();
    } catch (err) {
      setError(toApiError('annotations.set', err));
    } finally {
      setBusy(false);
    }
  }

  const ordered = [...openRules, ...ruleIds.filter((id) => !openRules.includes(id))];
  const hint = findings.loading ? 'Looking up the item’s open findings…' : props.itemKey && !props.rule && openRules.length === 0 ? 'This item has no open finding: choose the rule to waive.' : undefined;
  return (
    <div data-testid="exception-form">
      <div className={styles.form}>
        <Field label="Rule" required className={styles.full} hint={hint}>
          <Dropdown
            value={rule ? ruleLabel(rule) : ''}
            placeholder="Choose the rule this exception waives"
            selectedOptions={rule ? [rule] : []}
            onOptionSelect={(_, d) => {
              setRule(d.optionValue ?? null);
              setConfirmAll(false);
            }}
            data-testid="exception-rule"
          >
            {ordered.map((id) => (
              <Option key={id} value={id} text={ruleLabel(id)}>
                {`${ruleLabel(id)}${openRules.includes(id) ? ' — open on this item' : ''}`}
              </Option>
            ))}
            <Option value={ALL} text={ruleLabel(ALL)} data-testid="exception-rule-all">
              {ruleLabel(ALL)}
            </Option>
          </Dropdown>
        </Field>
        {rule === ALL ? (
          <MessageBar intent="warning" layout="multiline" className={styles.full} data-testid="exception-all-warning">
            <MessageBarBody>
              <Checkbox
                checked={confirmAll}
                onChange={(_, d) => setConfirmAll(d.checked === true)}
                data-testid="exception-all-confirm"
                label={`Waive every rule (${ruleIds.length}: ${ruleIds.join(', ')}) for this ${props.target.startsWith('item:') ? 'item' : 'target'}${day ? ` until ${dayInWords(day)}` : ''}. Findings of any rule, including ones that appear later, will be marked excepted.`}
              />
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <Field label="Justification" required className={styles.full}>
          <Textarea value={justification} onChange={(_, d) => setJustification(d.value)} data-testid="exception-justification" />
        </Field>
        <Field label="Approver" required>
          <Input value={approver} onChange={(_, d) => setApprover(d.value)} data-testid="exception-approver" />
        </Field>
        <DateField
          label="Expires"
          required
          value={expires}
          onChange={setExpires}
          hint={`end of day UTC${maxDays !== null ? `; the profile allows at most ${maxDays} days` : ''}`}
          testId="exception-expires"
          max={maxDays !== null ? inDays(maxDays) : undefined}
        />
        <Field label="Ticket (optional)">
          <Input value={ticket} onChange={(_, d) => setTicket(d.value)} data-testid="exception-ticket" />
        </Field>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} testId="exception-error" />
      <div className={styles.actions}>
        <Button appearance="primary" disabled={busy || !ready} onClick={() => void create()} data-testid="exception-save">
          Record exception
        </Button>
        <Button
          disabled={busy}
          onClick={() => {
            setOpen(false);
            props.onCancel?.();
          }}
        >
          Cancel
        </Button>
      </div>
    </div>
  );
}
