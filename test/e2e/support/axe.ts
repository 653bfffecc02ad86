/**
 * axe-core inside the e2e page. The source is evaluated through the
 * DevTools protocol rather than added as a <script>, so the app's CSP stays
 * as strict as in use (and a CSP violation still fails the suite).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; html: string; summary: string }> };

/**
 * Parts of the page axe is not to judge, each with why. Only named selectors:
 * no rule is ever switched off.
 */
export const axeExclusions: Array<{ selector: string; reason: string }> = [
  {
    // Fluent UI's focus manager (tabster) puts a pair of 1×1 px <i tabindex=0 aria-hidden> sentinels around
    // tab lists, dialogs and arrow-key groups. Focus that lands on one is moved on at once to the next real
    // control (that is their only job), so no user — with or without a screen reader — ever rests on one;
    // hiding them from the accessibility tree is what keeps them from being announced. Every other
    // aria-hidden element is still judged by aria-hidden-focus.
    selector: 'i[data-tabster-dummy]',
    reason: "Fluent/tabster focus-redirect sentinels: focus never rests on them; aria-hidden keeps them silent",
  },
];

export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const has = await page.evaluate(() => typeof (globalThis as unknown as { axe?: unknown }).axe === 'object');
  if (!has) await page.evaluate(axeSource);
  const exclude = axeExclusions.map((e) => [e.selector]);
  const result = await page.evaluate(async (ex) => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }> }> }> } }).axe;
    const r = await axe.run({ include: [['body']], exclude: ex }, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })) }));
  }, exclude);
  return result;
}

/** Serious and critical violations, one line per node, for an assertion message. */
export function seriousLines(violations: AxeViolation[]): string[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}): ${n.target.join(' ')} ${n.html}`));
}
