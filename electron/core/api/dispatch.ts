import { isMethodName, methods, type InputOf, type MethodName, type OutputOf, type Result } from '../../../shared/contract/index.ts';
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { CoreContext, CallContext } from '../context.ts';
import { toErrorInfo } from '../errors.ts';
import { handlers } from './handlers.ts';

export type Handler<M extends MethodName> = (input: InputOf<M>, call: CallContext) => Promise<OutputOf<M>> | OutputOf<M>;
export type HandlerTable = { [M in MethodName]: Handler<M> };

function zodMessage(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : 'input'}: ${i.message}`).join('; ');
}

/**
 * The one entry point every transport uses: validates the input with the
 * shared zod contract, runs the handler, and never throws — a Result comes back.
 */
export async function dispatch(
  core: CoreContext,
  method: string,
  rawInput: unknown,
  opts: { job?: string; onEvent?: (e: ProgressEvent) => void; signal?: AbortSignal } = {},
): Promise<Result<unknown>> {
  if (!isMethodName(method)) return { ok: false, error: { code: 'BAD_INPUT', message: `unknown method "${method}"` } };
  const parsed = methods[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'BAD_INPUT', message: `invalid input for ${method}: ${zodMessage(parsed.error.issues)}` } };
  }
  const job = opts.job ?? method;
  const call: CallContext = {
    core,
    emit: (e) => opts.onEvent?.({ job, ...e }),
    signal: opts.signal ?? new AbortController().signal,
  };
  try {
    const handler = handlers[method] as Handler<MethodName>;
    const value = await handler(parsed.data as never, call);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}
