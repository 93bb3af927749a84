// A light full-width notice (antd's Result draws large illustrations the shell does not need to load).
import type { ReactNode } from 'react';

export function Notice({ title, extra, tone = 'info' }: { title: ReactNode; extra?: ReactNode; tone?: 'info' | 'warning' | 'error' }) {
  return (
    <section className={`yl-notice yl-notice-${tone}`} role={tone === 'info' ? 'status' : 'alert'}>
      <h1>{title}</h1>
      {extra && <div>{extra}</div>}
    </section>
  );
}
