import { useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Dialog,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  SearchBox,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { Finding } from '../../../shared/domain/findings.ts';
import { rules, type RuleId } from '../../../shared/domain/findings-rules.ts';
import type { Severity } from '../../../shared/domain/profile.ts';
import { toApiError, useApi, useQuery, type ApiError } from '../api.ts';
import { useFirstFrameRows } from '../first-frame.ts';
import { useAppState } from '../state.tsx';
import { formatCount, formatTime, formatValue, shortHash } from '../format.ts';
import { nameFromKey } from '../item-name.ts';
import { XlsxExport } from './findings/XlsxExport.tsx';
import { download, toCsv } from '../csv.ts';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ExceptionForm } from '../components/ExceptionForm.tsx';
import { Section, ViewHeader } from '../components/Section.tsx';
import { SnapshotPicker } from '../components/SnapshotPicker.tsx';
import { SamplePanel } from './findings/SamplePanel.tsx';
import { AdherencePanel } from './findings/AdherencePanel.tsx';
import { ProfilePanel } from './findings/ProfilePanel.tsx';

const severityOrder: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const severityColor: Record<Severity, 'danger' | 'severe' | 'warning' | 'informative' | 'subtle'> = {
  critical: 'danger',
  high: 'severe',
  medium: 'warning',
  low: 'informative',
  info: 'subtle',
};

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: 'minmax(260px, 340px) 1fr', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  group: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    width: '100%',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground1,
    cursor: 'pointer',
    textAlign: 'left',
    fontFamily: 'inherit',
    fontSize: tokens.fontSizeBase300,
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  groupActive: { backgroundColor: tokens.colorSubtleBackgroundSelected, fontWeight: tokens.fontWeightSemibold },
  counts: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  evidence: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  why: { color: tokens.colorNeutralForeground2 },
});

type GroupBy = 'severity' | 'rule';
const PAGE = 300;
/** Rows a new list shows in its first frame: more than a screenful (renderer/src/first-frame.ts). */
const FIRST_ROWS = 40;
const CSV_PAGE = 5000;
const ALL = 'all';

export function FindingsView() {
  const styles = useStyles();
  const app = useAppState();
  const snapshot = app.current;
  const api = useApi();
  // Issue 17: the head (counts per severity and rule) and the rows a page at a time, never every finding at once.
  const report = useQuery('findings.summary', snapshot ? { snapshot } : null, app.dataVersion);
  const [groupBy, setGroupBy] = useState<GroupBy>('severity');
  const [group, setGroup] = useState<string | null>(null);
  const [exceptionFor, setExceptionFor] = useState<Finding | null>(null);
  const [tab, setTab] = useState<'findings' | 'sample' | 'adherence' | 'profile'>('findings');
  const r = report.data;

  const groups = r ? r.groups[groupBy] : [];
  // "all" (the default) is one list of every finding, severest first; a group narrows it; the search narrows both.
  const selected = group && (group === ALL || groups.some((g) => g.key === group)) ? group : ALL;
  const [search, setSearch] = useState('');
  // The same filter the engine's xlsx export applies (shared/domain/findings-view.ts), applied by the engine.
  const view = useMemo(() => ({ groupBy, group: selected, search }), [groupBy, selected, search]);
  // The whole list (the default) is asked for beside the head, not after it: one round trip less to the first rows.
  const first = useQuery('findings.page', snapshot && (r || selected === ALL) ? { snapshot, view, offset: 0, limit: PAGE } : null, app.dataVersion);
  // Pages after the first, asked for by "Show more"; dropped when the list changes.
  const [more, setMore] = useState<{ for: unknown; rows: Finding[] }>({ for: null, rows: [] });
  const [moreBusy, setMoreBusy] = useState(false);
  const [pageError, setPageError] = useState<ApiError | null>(null);
  const list = useMemo(() => (first.data ? first.data.findings.concat(more.for === first.data ? more.rows : []) : []), [first.data, more]);
  const listTotal = first.data?.total ?? 0;
  // A new list's first screenful first; the rest of its page right after (first-frame.ts).
  const shown = useFirstFrameRows(list, first.data, FIRST_ROWS);

  function showMore() {
    const base = first.data;
    if (!snapshot || !base || moreBusy) return;
    setMoreBusy(true);
    api('findings.page', { snapshot, view, offset: list.length, limit: PAGE * 3 }).then(
      (p) => {
        setMore((m) => ({ for: base, rows: (m.for === base ? m.rows : []).concat(p.findings) }));
        setMoreBusy(false);
      },
      (err: unknown) => {
        setPageError(toApiError('findings.page', err));
        setMoreBusy(false);
      },
    );
  }

  async function exportCsv() {
    if (!snapshot) return;
    // Every row of the list, fetched in pages (the page holds only what is shown).
    const all: Finding[] = [];
    try {
      for (let offset = 0; offset === 0 || offset < listTotal; offset += CSV_PAGE) {
        const p = await api('findings.page', { snapshot, view, offset, limit: CSV_PAGE });
        all.push(...p.findings);
        if (p.findings.length < CSV_PAGE) break;
      }
    } catch (err) {
      setPageError(toApiError('findings.page', err));
      return;
    }
    const rows = all.map((f) => [
      f.severity,
      f.rule,
      rules[f.rule]?.title ?? f.title,
      typeof f.evidence.name === 'string' ? f.evidence.name : nameFromKey(f.key),
      f.key,
      f.excepted && f.exception ? `excepted until ${f.exception.expires}` : 'open',
      f.exception?.approver ?? '',
      f.exception?.justification ?? '',
      f.controls.join('; '),
    ]);
    const name = `findings-${selected}${search.trim() ? '-filtered' : ''}.csv`.replace(/[^A-Za-z0-9.-]+/g, '-');
    download(name, toCsv(['Severity', 'Rule', 'Rule title', 'Item', 'Key', 'Status', 'Approver', 'Justification', 'Controls'], rows));
  }

  if (!snapshot || !app.snapshots) {
    return (
      <div data-testid="findings-view">
        <ViewHeader title="Findings" subtitle="Import or collect a snapshot first." />
      </div>
    );
  }

  return (
    <div data-testid="findings-view">
      <ViewHeader title="Findings" subtitle="What is wrong, judged at the snapshot's as-of time against the audit profile, with the controls each rule maps to. Accept a finding with an exception: it stays listed, marked excepted, until the exception expires.">
        <SnapshotPicker label="Snapshot" snapshots={app.snapshots} value={snapshot} onChange={app.setCurrent} testId="findings-snapshot" />
      </ViewHeader>
      <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)} style={{ marginBottom: tokens.spacingVerticalS }}>
        <Tab value="findings" data-testid="findings-tab-findings">
          Findings
        </Tab>
        <Tab value="sample" data-testid="findings-tab-sample">
          Sample
        </Tab>
        <Tab value="adherence" data-testid="findings-tab-adherence">
          Policy adherence
        </Tab>
        <Tab value="profile" data-testid="findings-tab-profile">
          Profile and rules
        </Tab>
      </TabList>
      {tab === 'sample' ? <SamplePanel snapshot={snapshot} /> : null}
      {tab === 'adherence' ? <AdherencePanel /> : null}
      {tab === 'profile' ? <ProfilePanel /> : null}
      {tab === 'findings' ? <ErrorNotice error={report.error ?? first.error ?? pageError} onRetry={() => (setPageError(null), report.reload(), first.reload())} /> : null}
      {tab === 'findings' && report.loading && !r ? (
        // Seconds at 100k items the first time; the engine keeps the answer (until an annotation), so say so.
        <Spinner label={`Evaluating the rules over ${formatCount(app.snapshots.find((x) => x.id === snapshot)?.itemCount ?? null)} items… (once per snapshot and annotation change)`} />
      ) : null}
      {tab === 'findings' && r ? (
        <>
          <Section>
            <div className={styles.counts} data-testid="findings-summary">
              <Text weight="semibold">{formatCount(r.counts.total)} findings</Text>
              {severityOrder.map((s) =>
                r.counts.bySeverity[s] ? (
                  <Badge key={s} appearance="filled" color={severityColor[s]}>
                    {s}: {formatCount(r.counts.bySeverity[s])}
                  </Badge>
                ) : null,
              )}
              <Text>· {formatCount(r.counts.excepted)} excepted</Text>
              <Text size={200}>
                · judged at {formatTime(r.asOf)} · profile {r.profile.name} v{r.profile.version} ({shortHash(r.profileHash)}) · {formatCount(r.itemCount)} items
              </Text>
            </div>
            {r.notEvaluated.length > 0 ? (
              <MessageBar intent="warning" layout="multiline" data-testid="findings-not-evaluated">
                <MessageBarBody>
                  <MessageBarTitle>Rules not evaluated (this is not the same as “no findings”)</MessageBarTitle>
                  {r.notEvaluated.map((n) => (
                    <div key={n.rule}>
                      <Text weight="semibold">{n.rule}</Text>: {n.reason}
                    </div>
                  ))}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {r.assumptions.length > 0 ? (
              <Text size={200}>Assumptions: {r.assumptions.map((a) => `${a.rule}: ${a.note}`).join(' · ')}</Text>
            ) : null}
          </Section>
          {r.counts.total === 0 ? (
            <MessageBar intent="success">
              <MessageBarBody>No findings among the rules evaluated.</MessageBarBody>
            </MessageBar>
          ) : (
            <div className={styles.layout}>
              <Section title="Group by">
                <RadioGroup layout="horizontal" value={groupBy} onChange={(_, d) => (setGroupBy(d.value as GroupBy), setGroup(null))}>
                  <Radio value="severity" label="Severity" data-testid="findings-by-severity" />
                  <Radio value="rule" label="Rule" data-testid="findings-by-rule" />
                </RadioGroup>
                <div role="listbox" aria-label="Finding groups">
                  <button
                    type="button"
                    role="option"
                    aria-selected={selected === ALL}
                    className={mergeClasses(styles.group, selected === ALL && styles.groupActive)}
                    onClick={() => setGroup(ALL)}
                    data-testid="findings-group"
                    data-group={ALL}
                  >
                    <span>All findings</span>
                    <span>{formatCount(r.counts.total)}</span>
                  </button>
                  {groups.map((g) => (
                    <button
                      key={g.key}
                      type="button"
                      role="option"
                      aria-selected={g.key === selected}
                      className={mergeClasses(styles.group, g.key === selected && styles.groupActive)}
                      onClick={() => setGroup(g.key)}
                      data-testid="findings-group"
                      data-group={g.key}
                    >
                      <span title={groupBy === 'rule' ? g.key : undefined}>{groupBy === 'severity' ? <Badge appearance="filled" color={severityColor[g.key as Severity]}>{g.key}</Badge> : (rules[g.key as RuleId]?.title ?? g.key)}</span>
                      <span>
                        {formatCount(g.open)}
                        {g.count !== g.open ? ` (+${g.count - g.open} excepted)` : ''}
                      </span>
                    </button>
                  ))}
                </div>
              </Section>
              <Section
                title={selected === ALL ? 'All findings' : groupBy === 'rule' ? (rules[selected as RuleId]?.title ?? selected) : `${selected} severity`}
                actions={
                  <>
                    <SearchBox value={search} onChange={(_, d) => setSearch(d.value)} placeholder="Search item, rule or key" aria-label="Search findings" data-testid="findings-search" />
                    <Button icon={<ArrowDownloadRegular />} onClick={() => void exportCsv()} disabled={listTotal === 0} data-testid="findings-export-csv">
                      Export CSV ({formatCount(listTotal)})
                    </Button>
                    {snapshot ? <XlsxExport snapshot={snapshot} view={view} count={listTotal} /> : null}
                  </>
                }
              >
                {groupBy === 'rule' && selected !== ALL && rules[selected as RuleId] ? (
                  <>
                    <Text className={styles.why}>{rules[selected as RuleId].why}</Text>
                    <Text size={200}>Controls: {rules[selected as RuleId].controls.join(' · ')}</Text>
                    <div>
                      <Button size="small" onClick={() => app.openItems({ where: [{ field: 'finding', value: selected }] })}>
                        Show these items in Items
                      </Button>
                    </div>
                  </>
                ) : null}
                <Table size="small" aria-label="Findings" data-testid="findings-table">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell style={{ width: 90 }}>Severity</TableHeaderCell>
                      <TableHeaderCell>Finding</TableHeaderCell>
                      <TableHeaderCell style={{ width: 230 }}>Status</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {shown.map((f, i) => (
                      <TableRow key={`${f.rule}-${f.target}-${i}`} data-testid="finding-row" data-rule={f.rule} data-target={f.target}>
                        <TableCell>
                          <Badge appearance="filled" color={severityColor[f.severity]}>
                            {f.severity}
                          </Badge>
                        </TableCell>
                        <TableCell>
                          <div>
                            {f.target.startsWith('item:') ? (
                              <Link onClick={() => app.openItems({ key: f.key })} title={f.key}>
                                {typeof f.evidence.name === 'string' ? f.evidence.name : nameFromKey(f.key)}
                              </Link>
                            ) : (
                              <Text weight="semibold" title={f.key}>
                                {typeof f.evidence.name === 'string' ? f.evidence.name : nameFromKey(f.key)}
                              </Text>
                            )}{' '}
                            <Text size={200} title={`Rule ${f.rule}`} data-testid="finding-title">— {f.title}</Text>
                          </div>
                          <div className={styles.evidence}>
                            {Object.entries(f.evidence)
                              .filter(([k]) => k !== 'name')
                              .slice(0, 6)
                              .map(([k, v]) => `${k}: ${formatValue(v)}`)
                              .join(' · ')}
                          </div>
                        </TableCell>
                        <TableCell>
                          {f.excepted && f.exception ? (
                            <Badge appearance="tint" color="informative" title={`${f.exception.justification} — approved by ${f.exception.approver}`}>
                              excepted until {f.exception.expires}
                            </Badge>
                          ) : (
                            <Button size="small" onClick={() => setExceptionFor(f)} data-testid="finding-add-exception">
                              Add exception…
                            </Button>
                          )}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                {first.loading && !first.data ? <Spinner size="tiny" label="Loading findings…" /> : null}
                {list.length < listTotal ? (
                  <div>
                    <Button onClick={showMore} disabled={moreBusy}>
                      Show more ({formatCount(listTotal - list.length)} left)
                    </Button>
                  </div>
                ) : null}
              </Section>
            </div>
          )}
        </>
      ) : null}
      <Dialog open={exceptionFor !== null} onOpenChange={(_, d) => !d.open && setExceptionFor(null)}>
        <DialogSurface style={{ maxWidth: 720 }}>
          <DialogBody>
            <DialogTitle>Exception for {exceptionFor ? (typeof exceptionFor.evidence.name === 'string' ? exceptionFor.evidence.name : nameFromKey(exceptionFor.key)) : ''}</DialogTitle>
            <DialogContent>
              {exceptionFor ? (
                <>
                  <Text block size={200}>
                    {exceptionFor.title}. The finding stays in every report, marked excepted, until the exception expires.
                  </Text>
                  <ExceptionForm
                    target={exceptionFor.target}
                    rule={exceptionFor.rule}
                    startOpen
                    onCreated={() => {
                      setExceptionFor(null);
                      app.bumpData();
                    }}
                    onCancel={() => setExceptionFor(null)}
                  />
                </>
              ) : null}
            </DialogContent>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
