/**
 * Access: per vault, who can delete backup data, stop protection, change soft
 * delete or immutability, restore, or grant access — each principal with its
 * type, role, scope and the scope the right is inherited from — beside the
 * guards (Resource Guard / MUA, immutability, soft delete), the counts, the
 * access findings and, given a baseline, who gained or lost a right since.
 * The same evidence as `vaultproof access`, the PDF's "Access evidence" and
 * the workbook's "Access" sheet (access.report, and access.findings: the
 * access rules' findings, as findings.run lists them).
 */
import { useMemo } from 'react';
import {
  Badge,
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
import { capabilities, capabilityLabel, type AccessGrant, type Capability, type VaultAccess } from '../../../shared/domain/access/vault-access.ts';
import type { AccessChange } from '../../../shared/domain/access/diff.ts';
import type { Finding } from '../../../shared/domain/findings.ts';
import { useQuery } from '../api.ts';
import { useAppState } from '../state.tsx';
import { formatCount } from '../format.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Section, ViewHeader } from '../components/Section.tsx';
import { SnapshotPicker } from '../components/SnapshotPicker.tsx';

/** The view's icon in the navigation. */
export { PersonLockRegular as AccessIcon } from '@fluentui/react-icons';

/** Column headings: short, the full wording is the cell's title and the count line's. */
const shortLabel: Record<Capability, string> = {
  deleteBackupData: 'Delete backups',
  stopProtection: 'Stop protection',
  // A soft hyphen: the narrow column breaks the long word instead of spilling into the next one.
  changeSecuritySettings: 'Soft delete / immu\u00ADtability',
  restore: 'Restore',
  grantAccess: 'Grant access',
};

const severityColor: Record<string, 'danger' | 'severe' | 'warning' | 'informative' | 'subtle'> = { critical: 'danger', high: 'severe', medium: 'warning', low: 'informative', info: 'subtle' };

const useStyles = makeStyles({
  guards: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  counts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))', gap: tokens.spacingHorizontalS },
  count: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground2 },
  scroll: { overflowX: 'auto', ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` } },
  table: { minWidth: '900px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  name: { overflowWrap: 'anywhere' },
  dim: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  pickers: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'end' },
});

function scopeText(g: AccessGrant): string {
  return g.inheritedFrom ? `inherited from ${g.inheritedFrom}` : 'this vault';
}

function Guards(props: { v: VaultAccess; deleters: number }) {
  const styles = useStyles();
  const { v } = props;
  const mua =
    v.resourceGuard === true ? (
      <Badge appearance="tint" color="success">Resource Guard (MUA): protects critical operations</Badge>
    ) : v.resourceGuard === false ? (
      <Badge appearance="filled" color="danger" data-testid="access-no-mua">
        {`No Resource Guard (MUA): ${props.deleters === 1 ? 'the one principal' : `each of the ${formatCount(props.deleters)} principals`} who can delete backup data can do it alone`}
      </Badge>
    ) : (
      <Badge appearance="tint" color="warning">Resource Guard (MUA): not collected</Badge>
    );
  const immutable = v.immutabilityState === null ? 'not collected' : `${v.immutabilityState}${v.immutabilityLocked ? ', locked' : v.immutabilityLocked === false ? ', not locked' : ''}`;
  const soft = v.softDeleteState === null ? 'not collected' : `${v.softDeleteState}${v.softDeleteAlwaysOn ? ' (always on)' : v.softDeleteAlwaysOn === false ? ' (can be turned off)' : ''}`;
  return (
    <div className={styles.guards} data-testid="access-guards">
      {mua}
      <Badge appearance="tint" color={v.immutabilityLocked ? 'success' : 'warning'}>{`Immutability: ${immutable}`}</Badge>
      <Badge appearance="tint" color={v.softDeleteAlwaysOn ? 'success' : 'warning'}>{`Soft delete: ${soft}`}</Badge>
    </div>
  );
}

function GrantsTable(props: { v: VaultAccess }) {
  const styles = useStyles();
  const rows = props.v.grants.filter((g) => g.capabilities.length > 0);
  if (rows.length === 0) return <Text className={styles.dim}>No role assignment in the snapshot gives a right over this vault's backups.</Text>;
  return (
    // A scroll region of its own (focusable, labelled), so a narrow window scrolls the table, not the page.
    <div className={styles.scroll} tabIndex={0} role="region" aria-label={`Rights over ${props.v.vaultName}`}>
      <Table size="small" className={styles.table} aria-label={`Who holds rights over ${props.v.vaultName}`} data-testid="access-grants">
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: '23%' }}>Principal</TableHeaderCell>
            <TableHeaderCell style={{ width: '9%' }}>Type</TableHeaderCell>
            <TableHeaderCell style={{ width: '12%' }}>Role</TableHeaderCell>
            <TableHeaderCell style={{ width: '16%' }}>Scope</TableHeaderCell>
            {capabilities.map((c) => (
              <TableHeaderCell key={c} title={`Can ${capabilityLabel[c]}`} style={{ width: '8%' }}>
                {shortLabel[c]}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((g) => (
            <TableRow key={`${g.assignmentId}`} data-testid="access-grant" data-principal={g.principalName ?? g.principalId}>
              <TableCell>
                <div className={styles.name}>{g.principalName ?? <span className={styles.dim}>(no name in the export)</span>}</div>
                <div className={styles.mono}>{g.principalId}</div>
              </TableCell>
              <TableCell>
                {g.principalType ?? 'unknown'}
                {g.guest ? (
                  <>
                    {' '}
                    <Badge appearance="tint" color="warning">guest</Badge>
                  </>
                ) : null}
                {g.group ? (
                  <>
                    {' '}
                    <Badge appearance="tint" color="informative">group: everyone in it</Badge>
                  </>
                ) : null}
              </TableCell>
              <TableCell>
                {g.role}
                {g.custom ? ' (custom)' : ''}
                {g.conditional ? ' (with a condition, counted)' : ''}
              </TableCell>
              {/* The full scope id is long; the words say where it sits, the id is in the tooltip and the workbook. */}
              <TableCell title={g.scope}>
                <div className={styles.name}>{scopeText(g)}</div>
              </TableCell>
              {capabilities.map((c) => (
                <TableCell key={c} title={g.capabilities.includes(c) ? `through ${g.via[c] ?? 'the role'}` : undefined}>
                  {g.capabilities.includes(c) ? 'yes' : <span className={styles.dim}>no</span>}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function VaultSection(props: { v: VaultAccess; findings: Finding[]; changes: AccessChange[] | null }) {
  const styles = useStyles();
  const { v } = props;
  return (
    <Section title={`${v.vaultName} — ${v.kind === 'BackupVault' ? 'Backup vault' : 'Recovery Services vault'}`} testId="access-vault">
      <Guards v={v} deleters={v.principalCounts.deleteBackupData} />
      <div className={styles.counts} data-testid="access-counts">
        {capabilities.map((c) => (
          <div key={c} className={styles.count}>
            <Text>{`Can ${capabilityLabel[c]}`}</Text>
            <Text weight="semibold">{`${formatCount(v.principalCounts[c])} principal(s)`}</Text>
          </div>
        ))}
      </div>
      <GrantsTable v={v} />
      {v.unresolved.length > 0 ? (
        <Text size={200}>{`${formatCount(v.unresolved.length)} assignment(s) in scope name a role that is neither in the snapshot nor among the shipped built-in roles; their rights are not counted.`}</Text>
      ) : null}
      <Text as="h3" weight="semibold">
        Findings
      </Text>
      {props.findings.length === 0 ? (
        <Text className={styles.dim}>No access finding for this vault.</Text>
      ) : (
        <ul className={styles.list} data-testid="access-findings">
          {props.findings.map((f) => (
            <li key={`${f.rule}:${f.key}`}>
              <Badge appearance="filled" color={severityColor[f.severity] ?? 'subtle'}>
                {f.severity}
              </Badge>{' '}
              {f.title}
              {f.excepted ? ' (excepted)' : ''}
            </li>
          ))}
        </ul>
      )}
      {props.changes ? (
        <>
          <Text as="h3" weight="semibold">
            Changes since the baseline
          </Text>
          {props.changes.length === 0 ? (
            <Text className={styles.dim}>No change in who holds these rights, nor in the guards.</Text>
          ) : (
            <ul className={styles.list} data-testid="access-changes">
              {props.changes.map((c, i) => (
                <li key={`${c.what}:${i}`}>
                  {c.sentence}
                  {[...c.added.map((x) => `+ ${x.name ?? x.objectId} (${x.role})`), ...c.removed.map((x) => `− ${x.name ?? x.objectId} (${x.role})`)].map((t) => (
                    <div key={t} className={styles.dim}>
                      {t}
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </Section>
  );
}

export function AccessView() {
  const styles = useStyles();
  const app = useAppState();
  const snapshot = app.current;
  const baseline = app.baseline && app.baseline !== snapshot ? app.baseline : null;
  const report = useQuery('access.report', snapshot ? { snapshot, ...(baseline ? { baseline } : {}) } : null, app.dataVersion);
  // The access rules' findings only (issue 17): judged without the item pass, not the snapshot's whole evaluation.
  const findings = useQuery('access.findings', snapshot ? { snapshot } : null, app.dataVersion);
  const r = report.data;
  const byVault = useMemo(() => {
    const m = new Map<string, Finding[]>();
    for (const f of findings.data ?? []) {
      m.set(f.key, [...(m.get(f.key) ?? []), f]);
    }
    return m;
  }, [findings.data]);

  if (!snapshot || !app.snapshots) {
    return (
      <div data-testid="access-view">
        <ViewHeader title="Access" subtitle="Import or collect a snapshot first." />
      </div>
    );
  }
  return (
    <div data-testid="access-view">
      <ViewHeader title="Access" subtitle="Per vault: who can delete backup data, stop protection, change soft delete or immutability, restore or grant access, through which role and from which scope, and whether a Resource Guard makes a second person approve.">
        <div className={styles.pickers}>
          <SnapshotPicker label="Snapshot" snapshots={app.snapshots} value={snapshot} onChange={app.setCurrent} testId="access-snapshot" />
          <SnapshotPicker label="Compare with" snapshots={app.snapshots} value={baseline} onChange={(id) => app.setBaseline(id || null)} allowNone="No baseline" testId="access-baseline" />
        </div>
      </ViewHeader>
      <ErrorNotice error={report.error} onRetry={report.reload} />
      {report.loading && !r ? <Spinner label="Reading role assignments…" /> : null}
      {r ? (
        <>
          <Text block size={200} data-testid="access-summary" style={{ marginBottom: tokens.spacingVerticalS }}>
            {`From ${formatCount(r.assignments)} role assignment(s) and ${formatCount(r.roleDefinitions)} custom role(s) in the snapshot; ${formatCount(r.builtInRoles.count)} built-in roles shipped with Vaultproof (copied from Microsoft's reference ${r.builtInRoles.retrieved.join(', ')}). Rights through a group reach everyone in it; membership is not in the export.`}
          </Text>
          {r.assignments === 0 ? (
            <MessageBar intent="warning" layout="multiline" data-testid="access-none">
              <MessageBarBody>
                <MessageBarTitle>No role assignments in this snapshot</MessageBarTitle>
                Nobody is shown because nothing was imported, not because nobody has access. Import the output of az role assignment list --all --include-inherited -o json (vaultproof kit prints it), or collect with access included.
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {r.changes && !r.changes.rightsCompared ? (
            <MessageBar intent="info">
              <MessageBarBody>Rights were not compared with the baseline: one of the two snapshots holds no role assignments (the guards still were).</MessageBarBody>
            </MessageBar>
          ) : null}
          <ErrorNotice error={findings.error} onRetry={findings.reload} />
          {r.vaults.length === 0 ? <Text>The snapshot holds no vault.</Text> : null}
          {r.vaults.map((v) => (
            <VaultSection key={v.vaultKey} v={v} findings={byVault.get(v.vaultKey) ?? []} changes={r.changes ? r.changes.changes.filter((c) => c.vaultKey === v.vaultKey) : null} />
          ))}
        </>
      ) : null}
    </div>
  );
}
