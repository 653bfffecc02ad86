import { migration001Core } from './001-core.ts';
import { migration002Annotations } from './002-annotations.ts';
import { migration003Analysis } from './003-analysis.ts';
import { migration004Reserved } from './004-reserved.ts';
import { migration005ItemsUi } from './005-items-ui.ts';
import { migration006ItemsSlim } from './006-items-slim.ts';
import { migration007LastSuccess } from './007-last-success.ts';
import { migration008NameSort } from './008-name-sort.ts';
import { migration009UiNameKey } from './009-ui-name-key.ts';
import { migration010PromotedFields } from './010-promoted-fields.ts';
import { migration011CompactItems } from './011-compact-items.ts';
import type { Migration } from './migration.ts';

/**
 * Ordered by id, contiguous from 1 (test/migrations/ids.test.ts), forward-only.
 * Append new migrations with the next free id; never edit or renumber one a
 * store may have applied. A store that lacks an id below its highest (005
 * before 004 existed) gets it on the next open, after a backup.
 */
export const migrations: Migration[] = [migration001Core, migration002Annotations, migration003Analysis, migration004Reserved, migration005ItemsUi, migration006ItemsSlim, migration007LastSuccess, migration008NameSort, migration009UiNameKey, migration010PromotedFields, migration011CompactItems];
