// Loading data for a page: useLoad runs an API call, keeps its result, its error and a reload;
// ProblemAlert shows an error in the user's language with a way to try again.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { Alert, Button } from 'antd';
import { errorMessage } from '../api/problem';
import { useI18n } from '../i18n';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  // `load` is a new closure each render; `deps` say when it means a new request.
  const run = useCallback(load, deps);
  useEffect(() => {
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => id === latest.current && setState({ data, loading: false }),
      (error: unknown) => id === latest.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [run, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload } as Loaded<T>;
}

export function ProblemAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const i18n = useI18n();
  if (!error) return null;
  return (
    <Alert type="error" showIcon role="alert" title={errorMessage(error, i18n)} style={{ marginBottom: 16 }}
      action={onRetry ? <Button onClick={onRetry}>{i18n.t('error.retry')}</Button> : undefined} />
  );
}
