/** access.* handlers. The logic lives in shared/domain/access and electron/core/access. */
import { accessFindingsOf } from '../access/findings.ts';
import { accessReportOf } from '../access/snapshot.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'access'> = {
  'access.report': (input, call) => accessReportOf(call.core.store(), input.snapshot, input.vault, input.baseline),
  'access.findings': (input, call) => accessFindingsOf(call.core.store(), input.snapshot),
};
