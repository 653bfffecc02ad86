import { migration001Core } from './001-core.ts';
import { migration002Annotations } from './002-annotations.ts';
import { migration003Analysis } from './003-analysis.ts';
import { migration005ItemsUi } from './005-items-ui.ts';

export type Migration = {
  id: number;
  name: string;
  /** Executed in one transaction. Its SHA-256 is recorded; an edited migration is refused. */
  sql: string;
};

/** Ordered, forward-only. Append new migrations; never edit an applied one. */
// 004 is assigned to packs; 005 (desktop UI index) depends on nothing after 001, so it may be applied before 004.
export const migrations: Migration[] = [migration001Core, migration002Annotations, migration003Analysis, migration005ItemsUi];
