import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useQuery } from '../../api.ts';
import { shortHash } from '../../format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Section } from '../../components/Section.tsx';

const useStyles = makeStyles({
  pre: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', backgroundColor: tokens.colorNeutralBackground3, padding: tokens.spacingHorizontalS, borderRadius: tokens.borderRadiusMedium, maxHeight: '320px', overflow: 'auto', margin: 0 },
});

/** The audit profile in force and the rule catalogue: what each rule checks, why, and the controls it maps to. */
export function ProfilePanel() {
  const styles = useStyles();
  const profile = useQuery('profiles.default', {});
  const rules = useQuery('findings.rules', {});
  const p = profile.data;
  return (
    <>
      <Section title="Audit profile" testId="profile-panel">
        <ErrorNotice error={profile.error} onRetry={profile.reload} />
        {p ? (
          <>
            <Text>
              {p.profile.name} v{p.profile.version} — hash {shortHash(p.hash, 16)}, from {p.source}. Its hash is recorded in every findings report and pack. To use another profile, give its file when building a pack.
            </Text>
            {p.profile.description ? <Text size={200}>{p.profile.description}</Text> : null}
            {/* Focusable so the keyboard can scroll it (axe: scrollable-region-focusable). */}
            <pre className={styles.pre} tabIndex={0} aria-label="Audit profile JSON">{JSON.stringify(p.profile, null, 2)}</pre>
          </>
        ) : null}
      </Section>
      <Section title="Rules" testId="rules-panel">
        <ErrorNotice error={rules.error} onRetry={rules.reload} />
        <Table size="small" aria-label="Findings rules">
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: 200 }}>Rule</TableHeaderCell>
              <TableHeaderCell style={{ width: 90 }}>Severity</TableHeaderCell>
              <TableHeaderCell>What and why</TableHeaderCell>
              <TableHeaderCell style={{ width: 260 }}>Controls</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(rules.data ?? []).map((r) => (
              <TableRow key={r.id}>
                <TableCell>{r.id}</TableCell>
                <TableCell>
                  <Badge appearance="tint">{r.defaultSeverity}</Badge>
                </TableCell>
                <TableCell>
                  <Text weight="semibold" block>
                    {r.title}
                  </Text>
                  <Text size={200}>{r.why}</Text>
                </TableCell>
                <TableCell>
                  <Text size={200}>{r.controls.join(' · ')}</Text>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>
    </>
  );
}
