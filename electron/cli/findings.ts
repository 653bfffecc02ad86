/**
 * `vaultproof findings` (findings.* methods). `--fail-on SEVERITY` exits 3
 * when findings at or above it exist that are not excepted (an exception is
 * accepted risk, so it never fails the gate); the report is printed either
 * way.
 */
import type { FindingsRun } from '../../shared/contract/methods/analysis.ts';
import type { Finding } from '../../shared/domain/findings.ts';
import { resourceGroupOfId, vaultLabels } from '../../shared/domain/names.ts';
import { severities } from '../../shared/domain/profile.ts';
import { UserError } from '../core/errors.ts';
import { terminalSafeName } from '../core/terminal-text.ts';
import { Verbatim, objectPieces, pretty, printPieces, pushElement, pushPretty, pushString, shape, type EscapedPieces, type Member } from './json-out.ts';
import { call, isOneOf, requirePositionals, strArg, table, withCore } from './run.ts';
import type { CommandRuns } from './types.ts';

/**
 * What each finding is about, as a reader names it: the item's label (its
 * name, with server and vault where the name repeats), a vault's name (with
 * its resource group where two vaults share it), else the resource's name.
 */
function findingNames(r: FindingsRun): (f: Finding) => string {
  const lastSegment = (id: string) => id.split('/').filter(Boolean).pop() ?? id;
  const vaultFindings = r.findings.filter((f) => typeof f.evidence.vault === 'string' && !f.target.startsWith('item:'));
  const vaults = vaultLabels([...new Map(vaultFindings.map((f) => [f.key, { key: f.key, name: f.evidence.vault as string, resourceGroup: resourceGroupOfId(f.key) }])).values()]);
  return (f) => {
    const label = r.labels?.[f.key] ?? vaults.get(f.key) ?? (typeof f.evidence.name === 'string' ? f.evidence.name : lastSegment(f.key));
    return terminalSafeName(label);
  };
}

const FINDING = shape(['rule', 'severity', 'key', 'title', 'controls', 'evidence', 'excepted', 'target', 'exception']);
const [, SEVERITY, KEY, TITLE, CONTROLS, EVIDENCE, EXCEPTED, TARGET, EXCEPTION] = FINDING.map((k) => `,\n      ${k}`) as [string, string, string, string, string, string, string, string, string];

/** What every finding of a rule repeats (severity, title, controls: the catalogue's, one per rule), as text made once. */
type RuleText = { severity: string; title: string; controls: readonly unknown[]; head: string; mid: string };

/**
 * The --json text: `JSON.stringify(findingsJson, null, 2)` of the object
 * { asOf, profileHash, findings: [{ rule, severity, key, title, controls,
 * evidence, excepted, target, exception }], notEvaluated, assumptions, counts,
 * profile: { ...profile, source }, snapshot, gate? }, written finding by
 * finding (json-out.ts) rather than built as a second 179k-object report.
 */
export function findingsJsonPieces(r: FindingsRun): EscapedPieces {
  return objectPieces(findingsJsonMembers(r), { key: 'findings', items: r.findings, push: findingPusher() });
}

/** The members of the --json object in order; `findings` is the big array, written by findingPusher. */
export function findingsJsonMembers(r: Omit<FindingsRun, 'findings'>): Member[] {
  return [
    ['asOf', r.asOf],
    ['profileHash', r.profileHash],
    ['findings', null],
    ['notEvaluated', r.notEvaluated],
    ['assumptions', r.assumptions],
    ['counts', r.counts],
    ['profile', { ...r.profile, source: r.profileSource }],
    ['snapshot', r.snapshot],
    ...(r.gate ? [['gate', r.gate] as const] : []),
  ];
}

/**
 * Pushes one finding's text (an element of `findings`, at indent 4). A finding
 * as the rules make it (string rule, severity, key, title and target, a
 * controls array, a boolean excepted) is written from its rule's text made once
 * (rule, severity, title, controls), its key, evidence, target and exception;
 * anything else member by member, as pushElement writes a fixed shape.
 */
export function findingPusher(): (out: string[], f: Finding, indent: string) => void {
  const byRule = new Map<unknown, RuleText>();
  // The catalogue shares one controls array per rule: its text is made once per array.
  const controlsText = new Map<unknown, string | undefined>();
  const controlsOf = (controls: unknown, indent: string): string | undefined => {
    let t = controlsText.get(controls);
    if (t === undefined && !controlsText.has(controls)) controlsText.set(controls, (t = pretty(controls, `${indent}  `)));
    return t;
  };
  return (out, f, indent) => {
    const { rule, severity, title, controls } = f as { rule: unknown; severity: unknown; title: unknown; controls: unknown };
    if (indent !== '    ' || typeof rule !== 'string' || typeof severity !== 'string' || typeof title !== 'string' || !Array.isArray(controls) || typeof f.key !== 'string' || typeof f.target !== 'string' || typeof f.excepted !== 'boolean') {
      pushElement(out, [f.rule, f.severity, f.key, f.title, new Verbatim(controlsOf(f.controls, indent)), f.evidence, f.excepted, f.target, f.exception], FINDING, indent);
      return;
    }
    let t = byRule.get(rule);
    if (t === undefined || t.severity !== severity || t.title !== title || t.controls !== controls) {
      t = {
        severity,
        title,
        controls,
        head: `{\n      ${FINDING[0]}${pretty(rule, '      ')}${SEVERITY}${pretty(severity, '      ')}${KEY}`,
        mid: `${TITLE}${pretty(title, '      ')}${CONTROLS}${controlsOf(controls, indent)}`,
      };
      byRule.set(rule, t);
    }
    out.push(t.head);
    pushString(out, f.key);
    out.push(t.mid, EVIDENCE);
    if (!pushPretty(out, f.evidence, '      ')) out.length--;
    out.push(EXCEPTED, f.excepted ? 'true' : 'false', TARGET);
    pushString(out, f.target);
    if (f.exception === null) out.push(EXCEPTION, 'null\n    }');
    else {
      out.push(EXCEPTION);
      if (!pushPretty(out, f.exception, '      ')) out.length--;
      out.push('\n    }');
    }
  };
}

export const runs: CommandRuns = {
  async 'findings'(args, io) {
    const [snapshot] = requirePositionals(args, 1, this.usage);
    const failOn = strArg(args, 'fail-on');
    if (failOn !== undefined && !isOneOf(severities, failOn)) {
      throw new UserError('BAD_INPUT', `--fail-on ${JSON.stringify(failOn)}: expected one of ${severities.join(', ')}`);
    }
    const profilePath = strArg(args, 'profile');
    const r = await withCore(args, (core) => call(core, 'findings.run', { snapshot, ...(profilePath ? { profilePath } : {}), ...(failOn ? { failOn } : {}), ...(args.values.json ? { labels: false } : {}) }));
    if (args.values.json) await printPieces(io, findingsJsonPieces(r));
    else {
      io.stdout(`findings for ${r.snapshot.id}, judged at ${r.asOf} with ${r.profile.name} ${r.profile.version} (sha256 ${r.profileHash.slice(0, 16)}…)\n`);
      io.stdout(`  ${r.counts.total} findings (${r.counts.excepted} excepted): ${severities.map((s) => `${s} ${r.counts.bySeverity[s]}`).join(', ')}\n`);
      if (r.findings.length > 0) {
        const names = findingNames(r);
        io.stdout(table(r.findings.map((f) => ({ severity: f.severity, rule: f.rule, excepted: f.excepted ? `until ${f.exception?.expires}` : '', target: names(f) })), ['severity', 'rule', 'excepted', 'target']));
      }
      for (const n of r.notEvaluated) io.stdout(`  not evaluated: ${n.rule} — ${n.reason}\n`);
      for (const a of r.assumptions) io.stdout(`  note: ${a.rule} — ${a.note}\n`);
      if (r.gate) io.stdout(`  --fail-on ${r.gate.failOn}: ${r.gate.failed ? `FAILED (${r.gate.count} finding(s) not excepted)` : 'passed'}\n`);
    }
    return r.gate?.failed ? 3 : 0;
  },
};
