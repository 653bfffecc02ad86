/**
 * One renderer call, whatever carried it (IPC in Electron main, HTTP in web
 * mode): shell methods (dialogs, keychain, staging, switching the store) are
 * answered here, on the host's thread, validated with the shared zod
 * schemas; every core method is relayed to the engine worker. Never throws.
 */
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { isMethodName } from '../../../shared/contract/index.ts';
import { checkCall, runShell } from '../api/dispatch.ts';
import type { ShellHost } from '../api/types.ts';
import { UserError } from '../errors.ts';
import type { EngineHost } from './engine-host.ts';

export type AppCall = { method: unknown; input: unknown; job?: unknown };

export type AppRelay = (call: AppCall, onEvent: (e: ProgressEvent) => void, signal?: AbortSignal) => Promise<Result<unknown>>;

/** The shell's name ends the message for a shell method this host lacks ("… is not available in web mode"). */
export function createAppRelay(opts: { engine: () => EngineHost; shell: ShellHost }): AppRelay {
  return async (call, onEvent, signal) => {
    // The same checks, messages and shell routing as dispatch() in-process (the CLI, tests).
    const checked = checkCall(call);
    if (!checked.ok) return checked;
    const { method, job } = checked;
    if (isMethodName(method)) return opts.engine().call({ method, input: call.input, job }, { onEvent, ...(signal ? { signal } : {}) });
    return runShell(method, call.input, opts.shell);
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
