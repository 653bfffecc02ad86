/**
 * Routes one renderer call, whatever carried it (IPC or HTTP): shell methods
 * (dialogs, keychain, staging...) go to the host's own handlers, validated
 * with the shared zod schemas; everything else goes to the core through
 * dispatch, as a cancellable job when the caller named one. Never throws.
 */
import type { Result } from '../../../shared/contract/result.ts';
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import { isShellMethodName, shellMethods, type ShellInputOf, type ShellMethodName, type ShellOutputs } from '../../../shared/contract/shell.ts';
import type { CoreContext } from '../context.ts';
import { toErrorInfo } from '../errors.ts';
import { runJob } from './run-job.ts';

export type ShellHandlers = {
  [M in ShellMethodName]?: (input: ShellInputOf<M>) => Promise<ShellOutputs[M]> | ShellOutputs[M];
};

export type AppCall = { method: unknown; input: unknown; job?: unknown };

function issuesText(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : 'input'}: ${i.message}`).join('; ');
}

export async function invokeApp(
  core: CoreContext,
  shell: ShellHandlers,
  hostName: string,
  call: AppCall,
  onEvent: (e: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<Result<unknown>> {
  const { method, input, job } = call;
  if (typeof method !== 'string' || method.length > 100) return { ok: false, error: { code: 'BAD_INPUT', message: 'method must be a string such as "snapshots.list"' } };
  if (job !== undefined && (typeof job !== 'string' || job.length === 0 || job.length > 200)) {
    return { ok: false, error: { code: 'BAD_INPUT', message: 'job must be a non-empty string of at most 200 characters' } };
  }
  if (isShellMethodName(method)) {
    const parsed = shellMethods[method].input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'BAD_INPUT', message: `invalid input for ${method}: ${issuesText(parsed.error.issues)}` } };
    const handler = shell[method] as ((i: unknown) => unknown) | undefined;
    if (!handler) return { ok: false, error: { code: 'BAD_INPUT', message: `${method} is not available in ${hostName}` } };
    try {
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  }
  return runJob(core, method, input, { job: job as string | undefined, onEvent, ...(signal ? { signal } : {}) });
}
