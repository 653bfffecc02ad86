/** policy.* handlers. The logic lives in shared/domain/policy and electron/core/policy. */
import { policyReportOf } from '../policy/report.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'policy'> = {
  'policy.reconcile': (input, call) => policyReportOf(call.core.store(), input.snapshot),
};
