/** alerts.* handlers. The logic lives in shared/domain/alerts and electron/core/alerts. */
import { alertRoutingReportOf } from '../alerts/routing.ts';
import type { DomainHandlers } from './types.ts';

export const handlers: DomainHandlers<'alerts'> = {
  'alerts.routing': (input, call) => alertRoutingReportOf(call.core.store(), input.snapshot, input.vault),
};
