/**
 * The types every file of core/api shares. They live here, apart from
 * dispatch.ts and the handler table, so a handler module never imports the
 * code that loads it (no import cycle among core/api files).
 */
import type { InputOf, MethodName, OutputOf } from '../../../shared/contract/index.ts';
import type { ProgressEvent } from '../../../shared/contract/events.ts';
import type { ShellInputOf, ShellMethodName, ShellOutputs } from '../../../shared/contract/shell.ts';
import type { CallContext } from '../context.ts';

export type Handler<M extends MethodName> = (input: InputOf<M>, call: CallContext) => Promise<OutputOf<M>> | OutputOf<M>;

/** The contract methods named "<prefix>.something". */
export type MethodsOf<P extends string> = Extract<MethodName, `${P}.${string}`>;

/** What electron/core/api/<prefix>.ts exports as `handlers`: exactly the methods of its prefix. */
export type DomainHandlers<P extends string> = { [M in MethodsOf<P>]: Handler<M> };

/** The host's own answers to shell methods (dialogs, keychain, staging...). */
export type ShellHandlers = {
  [M in ShellMethodName]?: (input: ShellInputOf<M>) => Promise<ShellOutputs[M]> | ShellOutputs[M];
};

/** A host that answers shell methods: its name appears in "X is not available in <name>". */
export type ShellHost = { name: string; handlers: ShellHandlers };

/** One call as it arrives from any carrier; checked by dispatch, so nothing here is trusted. */
export type DispatchCall = { method: unknown; input?: unknown; job?: unknown };

export type DispatchOptions = {
  shell?: ShellHost;
  onEvent?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
};
