import { useState } from 'react';
import { Button, Dropdown, Field, Input, Option, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { ruleIds, rules } from '../../../shared/domain/findingsRules.ts';
import { toApiError, useApi, type ApiError } from '../api.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const useStyles = makeStyles({
  form: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM },
  full: { gridColumn: '1 / -1' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

function inDays(days: number): string {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

/**
 * Records an exception (a finding accepted until a date) on a target. The
 * server validates: justification, approver, a known rule, an expiry in the
 * future and no further ahead than the audit profile allows.
 */
export function ExceptionForm(props: { target: string; rule?: string; onCreated: () => void; onCancel?: () => void; startOpen?: boolean }) {
  const styles = useStyles();
  const api = useApi();
  const [open, setOpen] = useState(props.startOpen ?? false);
  const [rule, setRule] = useState(props.rule ?? 'all');
  const [justification, setJustification] = useState('');
  const [approver, setApprover] = useState('');
  const [expires, setExpires] = useState(inDays(90));
  const [ticket, setTicket] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  if (!open) {
    return (
      <div>
        <Button onClick={() => setOpen(true)} data-testid="exception-open">
          Add exception…
        </Button>
      </div>
    );
  }

  async function create() {
    setBusy(true);
    setError(null);
    try {
      await api('annotations.set', {
        target: props.target,
        exception: { rule, justification: justification.trim(), approver: approver.trim(), expires: expires.trim(), ...(ticket.trim() ? { ticket: ticket.trim() } : {}) },
      });
      setJustification('');
      setTicket('');
      setOpen(props.startOpen ?? false);
      props.onCreated();
    } catch (err) {
      setError(toApiError('annotations.set', err));
    } finally {
      setBusy(false);
    }
  }

  const ruleLabel = (id: string) => (id === 'all' ? 'all rules' : `${id} — ${rules[id as keyof typeof rules]?.title ?? ''}`);
  return (
    <div data-testid="exception-form">
      <div className={styles.form}>
        <Field label="Rule" className={styles.full}>
          <Dropdown value={ruleLabel(rule)} selectedOptions={[rule]} onOptionSelect={(_, d) => setRule(d.optionValue ?? 'all')} data-testid="exception-rule">
            <Option value="all" text="all rules">
              all rules
            </Option>
            {ruleIds.map((id) => (
              <Option key={id} value={id} text={ruleLabel(id)}>
                {ruleLabel(id)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Justification" required className={styles.full}>
          <Textarea value={justification} onChange={(_, d) => setJustification(d.value)} data-testid="exception-justification" />
        </Field>
        <Field label="Approver" required>
          <Input value={approver} onChange={(_, d) => setApprover(d.value)} data-testid="exception-approver" />
        </Field>
        <Field label="Expires (YYYY-MM-DD, end of day UTC)" required>
          <Input value={expires} onChange={(_, d) => setExpires(d.value)} data-testid="exception-expires" />
        </Field>
        <Field label="Ticket (optional)">
          <Input value={ticket} onChange={(_, d) => setTicket(d.value)} data-testid="exception-ticket" />
        </Field>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} testId="exception-error" />
      <div className={styles.actions}>
        <Button appearance="primary" disabled={busy} onClick={() => void create()} data-testid="exception-save">
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
