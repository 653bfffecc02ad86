/**
 * The one entrance: IPC, web mode, the CLI and tests all call dispatch().
 * It checks the call (method, job id), routes shell methods (dialogs,
 * keychain, staging...) to the host's own handlers, validates the input with
 * the shared zod contract, registers a cancellable job when the caller names
 * one (`jobs.cancel` aborts it), loads and runs the handler, and never throws:
 * a Result comes back.
 */
import { isMethodName, methods, type MethodName, type Result } from '../../../shared/contract/index.ts';
import type { ErrorInfo } from '../../../shared/contract/result.ts';
import { isShellMethodName, shellMethods } from '../../../shared/contract/shell.ts';
import { zodMessage } from '../../../shared/contract/zod-message.ts';
import type { CallContext, CoreContext } from '../context.ts';
import { toErrorInfo } from '../errors.ts';
import { handlerRegistry } from './handlers.ts';
import { jobsOf } from './running-jobs.ts';
import type { DispatchCall, DispatchOptions, Handler, ShellHost } from './types.ts';

export type { DispatchCall, DispatchOptions, ShellHandlers, ShellHost } from './types.ts';

function badInput(message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code: 'BAD_INPUT', message } };
}

/** The checks every entrance (dispatch, the host's relay) makes before routing a call: a short method string, a short non-empty job id if any. */
export function checkCall(call: { method: unknown; job?: unknown }): { ok: true; method: string; job: string | undefined } | { ok: false; error: ErrorInfo } {
  const { method, job } = call;
  if (typeof method !== 'string' || method.length > 100) return badInput('method must be a string such as "snapshots.list"');
  if (job !== undefined && (typeof job !== 'string' || job.length === 0 || job.length > 200)) {
    return badInput('job must be a non-empty string of at most 200 characters');
  }
  return { ok: true, method, job };
}

/** A shell method (dialogs, keychain, staging...): validated with the shared contract, answered by the host's own handler. */
export async function runShell(method: string, input: unknown, shell: ShellHost | undefined): Promise<Result<unknown>> {
  if (!isShellMethodName(method)) return badInput(`unknown method "${method}"`);
  const parsed = shellMethods[method].input.safeParse(input ?? {});
  if (!parsed.success) return badInput(`invalid input for ${method}: ${zodMessage(parsed.error.issues)}`);
  const handler = shell?.handlers[method] as ((i: unknown) => unknown) | undefined;
  if (!handler) return badInput(`${method} is not available in ${shell?.name ?? 'this host'}`);
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}

async function runHandler(core: CoreContext, method: MethodName, input: unknown, job: string, opts: DispatchOptions, signal: AbortSignal): Promise<Result<unknown>> {
  const call: CallContext = { core, emit: (e) => opts.onEvent?.({ job, ...e }), signal };
  try {
    const handler = (await handlerRegistry.handler(method)) as Handler<MethodName>;
    return { ok: true, value: await handler(input as never, call) };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err, core.storePath) };
  }
}

export async function dispatch(core: CoreContext, call: DispatchCall, opts: DispatchOptions = {}): Promise<Result<unknown>> {
  const checked = checkCall(call);
  if (!checked.ok) return checked;
  const { method, job } = checked;
  const { input } = call;
  if (!isMethodName(method)) return runShell(method, input, opts.shell);
  const parsed = methods[method].input.safeParse(input ?? {});
  if (!parsed.success) return badInput(`invalid input for ${method}: ${zodMessage(parsed.error.issues)}`);
  if (job === undefined) return runHandler(core, method, parsed.data, method, opts, opts.signal ?? new AbortController().signal);

  // A named job: registered so that jobs.cancel can abort it; a second call under a running id is refused.
  const jobs = jobsOf(core);
  if (jobs.has(job)) return { ok: false, error: { code: 'CONFLICT', message: `a job named "${job}" is already running` } };
  const controller = new AbortController();
  const outer = opts.signal;
  const onOuterAbort = (): void => controller.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  if (outer?.aborted) controller.abort();
  jobs.set(job, controller);
  try {
    return await runHandler(core, method, parsed.data, job, opts, controller.signal);
  } finally {
    jobs.delete(job);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
