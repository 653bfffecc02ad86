/**
 * The `findings --json` text: `JSON.stringify(findingsJson, null, 2)` of the
 * report object, written finding by finding (electron/core/output/json-text.ts)
 * rather than built as a second 179k-object report. Used by the CLI and by
 * the findings thread that writes half of a big snapshot's text
 * (findings-split.ts).
 */
import type { FindingsRun } from '../../../shared/contract/methods/analysis.ts';
import type { Finding } from '../../../shared/domain/findings.ts';
import { Verbatim, objectPieces, pretty, pushElement, pushPretty, pushString, shape, type EscapedPieces, type Member } from '../output/json-text.ts';

const FINDING = shape(['rule', 'severity', 'key', 'title', 'controls', 'evidence', 'excepted', 'target', 'exception']);
const [, SEVERITY, KEY, TITLE, CONTROLS, EVIDENCE, EXCEPTED, TARGET, EXCEPTION] = FINDING.map((k) => `,\n      ${k}`) as [string, string, string, string, string, string, string, string, string];

/** What every finding of a rule repeats (severity, title, controls: the catalogue's, one per rule), as text made once. */
type RuleText = { severity: string; title: string; controls: readonly unknown[]; head: string; mid: string };

/**
 * The --json text: `JSON.stringify(findingsJson, null, 2)` of the object
 * { asOf, profileHash, findings: [{ rule, severity, key, title, controls,
 * evidence, excepted, target, exception }], notEvaluated, assumptions, counts,
 * profile: { ...profile, source }, snapshot, gate? }, written finding by
 * finding (electron/core/output/json-text.ts) rather than built as a second
 * 179k-object report.
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
    const plainKey = pushString(out, f.key);
    out.push(t.mid, EVIDENCE);
    if (!pushPretty(out, f.evidence, '      ')) out.length--;
    out.push(EXCEPTED, f.excepted ? 'true' : 'false', TARGET);
    // An item's target is "item:" and its key: plain when the key is (one escape test of a 200-character id, not two).
    const target = f.target;
    if (plainKey && target.length === f.key.length + 5 && target.startsWith('item:') && target.endsWith(f.key)) out.push('"', target, '"');
    else pushString(out, target);
    if (f.exception === null) out.push(EXCEPTION, 'null\n    }');
    else {
      out.push(EXCEPTION);
      if (!pushPretty(out, f.exception, '      ')) out.length--;
      out.push('\n    }');
    }
  };
}
