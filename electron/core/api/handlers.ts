/**
 * The handler table: one entry per contract method, merged from per-domain
 * tables. Handlers are thin; the logic lives in plain functions beside them.
 */
import type { HandlerTable } from './dispatch.ts';
import { snapshotHandlers } from './snapshots.ts';
import { jobHandlers } from './jobs.ts';
import { annotationHandlers } from './annotations.ts';
import { uiHandlers } from './ui.ts';
import { analysisHandlers } from './analysis.ts';
import { collectHandlers } from './collect.ts';
import { packsHandlers } from './packs.ts';

export const handlers: HandlerTable = {
  ...snapshotHandlers,
  ...jobHandlers,
  ...annotationHandlers,
  ...uiHandlers,
  ...analysisHandlers,
  ...collectHandlers,
  ...packsHandlers,
};
