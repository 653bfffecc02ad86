/**
 * Typed calls to the backend for React: a context holding the Transport,
 * `useApi()` for one-off calls that throw an ApiError, `useQuery()` for
 * data a view shows, and `useJob()` for long work with progress and cancel.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/contract/result.ts';
import type { ProgressEvent } from '../../shared/contract/events.ts';
import type { AppInputOf, AppMethodName, AppOutputOf, Transport } from '../../shared/contract/transport.ts';

export class ApiError extends Error {
  readonly info: ErrorInfo;
  readonly method: string;
  constructor(method: string, info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.info = info;
    this.method = method;
  }
}

export function toApiError(method: string, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(method, { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}

export const TransportContext = createContext<Transport | null>(null);

export function useTransport(): Transport {
  const t = useContext(TransportContext);
  if (!t) throw new Error('no transport: render inside <TransportContext.Provider>');
  return t;
}

export type Api = <M extends AppMethodName>(method: M, input: AppInputOf<M>, options?: { job?: string }) => Promise<AppOutputOf<M>>;

export function makeApi(transport: Transport): Api {
  return async (method, input, options) => {
    const res = await transport.invoke(method, input, options);
    if (!res.ok) throw new ApiError(method, res.error);
    return res.value;
  };
}

export function useApi(): Api {
  const transport = useTransport();
  return useCallback<Api>((method, input, options) => makeApi(transport)(method, input, options), [transport]);
}

export type QueryState<T> = { data: T | undefined; error: ApiError | null; loading: boolean; reload: () => void };

/**
 * Loads `method(input)` whenever the input (compared as JSON) or `version`
 * changes; `input === null` means "not yet" (nothing is loaded). Stale
 * answers (an older input) are dropped.
 */
export function useQuery<M extends AppMethodName>(method: M, input: AppInputOf<M> | null, version = 0): QueryState<AppOutputOf<M>> {
  const api = useApi();
  const [data, setData] = useState<AppOutputOf<M> | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const [tick, setTick] = useState(0);
  const key = input === null ? null : JSON.stringify(input);
  const seq = useRef(0);
  useEffect(() => {
    if (key === null) {
      setData(undefined);
      setLoading(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    api(method, JSON.parse(key) as AppInputOf<M>).then(
      (value) => {
        if (seq.current !== mine) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (seq.current !== mine) return;
        setError(toApiError(method, err));
        setLoading(false);
      },
    );
  }, [api, method, key, version, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

let jobCounter = 0;
export function newJobId(kind: string): string {
  jobCounter += 1;
  const rand = Math.random().toString(36).slice(2, 10);
  return `ui-${kind}-${Date.now().toString(36)}-${jobCounter}-${rand}`;
}

export type JobState<T> = {
  running: boolean;
  progress: ProgressEvent | null;
  result: T | undefined;
  error: ApiError | null;
  cancelled: boolean;
};

export type JobControl<M extends AppMethodName> = JobState<AppOutputOf<M>> & {
  start: (input: AppInputOf<M>) => Promise<AppOutputOf<M> | undefined>;
  cancel: () => void;
  reset: () => void;
};

/** Long work with progress events and cancel (jobs.cancel). */
export function useJob<M extends AppMethodName>(method: M, kind: string): JobControl<M> {
  const transport = useTransport();
  const api = useApi();
  const [state, setState] = useState<JobState<AppOutputOf<M>>>({ running: false, progress: null, result: undefined, error: null, cancelled: false });
  const current = useRef<string | null>(null);
  const cancelledRef = useRef(false);

  useEffect(
    () =>
      transport.subscribe((event) => {
        if (event.type !== 'progress' || event.job !== current.current) return;
        const { type: _type, ...progress } = event;
        setState((s) => (s.running ? { ...s, progress } : s));
      }),
    [transport],
  );

  const start = useCallback(
    async (input: AppInputOf<M>) => {
      const job = newJobId(kind);
      current.current = job;
      cancelledRef.current = false;
      setState({ running: true, progress: null, result: undefined, error: null, cancelled: false });
      try {
        const value = await api(method, input, { job });
        if (current.current === job) setState({ running: false, progress: null, result: value, error: null, cancelled: false });
        return value;
      } catch (err) {
        const e = toApiError(method, err);
        const cancelled = e.info.code === 'CANCELLED' || cancelledRef.current;
        if (current.current === job) setState({ running: false, progress: null, result: undefined, error: cancelled ? null : e, cancelled });
        return undefined;
      } finally {
        if (current.current === job) current.current = null;
      }
    },
    [api, method, kind],
  );

  const cancel = useCallback(() => {
    const job = current.current;
    if (!job) return;
    cancelledRef.current = true;
    void transport.invoke('jobs.cancel', { job });
  }, [transport]);

  const reset = useCallback(() => setState({ running: false, progress: null, result: undefined, error: null, cancelled: false }), []);

  return { ...state, start, cancel, reset };
}
