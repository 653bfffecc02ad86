/**
 * One renderer call, whatever carried it (IPC in Electron main, HTTP in web
 * mode): shell methods (dialogs, keychain, staging, switching the store) are
 * answered here, on the host's thread, validated with the shared zod
 * schemas; every core method is relayed to the engine worker. Never throws.
 */
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { isMethodName } from '../../../shared/contract/index.ts';
import { isShellMethodName, shellMethods } from '../../../shared/contract/shell.ts';
import { zodMessage } from '../../../shared/contract/zod-message.ts';
import type { ShellHost } from '../api/types.ts';
import { toErrorInfo, UserError } from '../errors.ts';
import type { EngineHost } from './engine-host.ts';

export type AppCall = { method: unknown; input: unknown; job?: unknown };

export type AppRelay = (call: AppCall, onEvent: (e: ProgressEvent) => void, signal?: AbortSignal) => Promise<Result<unknown>>;

/** The shell's name ends the message for a shell method this host lacks ("… is not available in web mode"). */
export function createAppRelay(opts: { engine: () => EngineHost; shell: ShellHost }): AppRelay {
  return async ({ method, input, job }, onEvent, signal) => {
    if (typeof method !== 'string' || method.length > 100) return { ok: false, error: { code: 'BAD_INPUT', message: 'method must be a string such as "snapshots.list"' } };
    if (job !== undefined && (typeof job !== 'string' || job.length === 0 || job.length > 200)) {
      return { ok: false, error: { code: 'BAD_INPUT', message: 'job must be a non-empty string of at most 200 characters' } };
    }
    if (isMethodName(method)) return opts.engine().call({ method, input, job: job as string | undefined }, { onEvent, ...(signal ? { signal } : {}) });
    // Same checks and messages as dispatch() gives a shell method in-process (the CLI, tests).
    if (!isShellMethodName(method)) return { ok: false, error: { code: 'BAD_INPUT', message: `unknown method "${method}"` } };
    const parsed = shellMethods[method].input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'BAD_INPUT', message: `invalid input for ${method}: ${zodMessage(parsed.error.issues)}` } };
    const handler = opts.shell.handlers[method] as ((i: unknown) => unknown) | undefined;
    if (!handler) return { ok: false, error: { code: 'BAD_INPUT', message: `${method} is not available in ${opts.shell.name}` } };
    try {
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  };
}

/** `app.openStore` over the engine: the error the engine gave (e.g. STORE) comes back as it was. */
export async function openStoreOn(engine: EngineHost, storePath: string): Promise<{ storePath: string }> {
  const result = await engine.openStore(storePath);
  if (!result.ok) {
    const { code, message, ...where } = result.error;
    throw new UserError(code, message, where);
  }
  return result.value;
}
