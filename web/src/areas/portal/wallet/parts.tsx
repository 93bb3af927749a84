// Pieces the wallet pages share: the state badge (in words, not colour only), a fact list, the QR
// code of a verify page (drawn as one SVG path from the `qrcode` encoder's modules), a PDF button
// that reports its result or its error right beside itself, and the sign-in/empty/back notices.
import { useMemo, useState, type ReactNode } from 'react';
import { Button } from 'antd';
import QRCode from 'qrcode';
import { Link } from 'react-router';
import { errorMessage } from '../../../api/problem';
import { useI18n, type MessageKey } from '../../../i18n';

const STATE_KEY: Record<string, MessageKey> = {
  valid: 'wal.status.valid', expired: 'wal.status.expired', revoked: 'wal.status.revoked', superseded: 'wal.status.superseded',
  active: 'wal.auth.status.active', delivered: 'wal.use.delivered', refused: 'wal.use.refused',
};
const AUTH_KEY: Record<string, MessageKey> = { active: 'wal.auth.status.active', expired: 'wal.auth.status.expired', revoked: 'wal.auth.status.revoked' };

/** A license's (or a use's) state as a word in a bordered badge. `kind="auth"` for authorizations. */
export function State({ state, kind = 'license', inline = false }: { state: string; kind?: 'license' | 'auth' | 'use'; inline?: boolean }) {
  const { t } = useI18n();
  const key = kind === 'auth' ? AUTH_KEY[state] : STATE_KEY[state];
  return <span className={`wal-state wal-state-${state}${inline ? ' wal-static' : ''}`} data-testid="wal-state">{key ? t(key) : state}</span>;
}

export interface Fact { key: string; label: string; value: ReactNode; mono?: boolean }

/** Label/value pairs; empty values are left out so nothing reads "null". */
export function Facts({ facts, className = 'wal-facts', testId }: { facts: Fact[]; className?: string; testId?: string }) {
  return (
    <dl className={className} data-testid={testId}>
      {facts.filter((f) => f.value !== null && f.value !== undefined && f.value !== '').map((f) => (
        <div key={f.key} style={{ display: 'contents' }}>
          <dt>{f.label}</dt>
          <dd className={f.mono ? 'wal-mono' : undefined}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The QR code of an absolute URL: an image with a spoken name; the same URL is given as a link beside it. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    let d = '';
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) d += `M${c + 4},${r + 4}h1v1h-1z`;
    return { size: n + 8, path: d };
  }, [text]);
  return (
    <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} data-testid="wal-qr" shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

/** A download button whose outcome (file name, or the server's problem) is announced beside it. */
export function PdfButton({ label, hint, download, testId }: { label: string; hint: string; download: () => Promise<string>; testId: string }) {
  const i18n = useI18n();
  const [state, setState] = useState<{ busy: boolean; done?: string; error?: unknown }>({ busy: false });
  const go = async () => {
    setState({ busy: true });
    try {
      setState({ busy: false, done: await download() });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <div>
      <Button type="primary" size="large" onClick={() => void go()} loading={state.busy} data-testid={testId}>{label}</Button>
      <p className="yl-secondary" style={{ margin: '4px 0 0' }}>{hint}</p>
      <div aria-live="polite">
        {state.busy && <p className="wal-ok">{i18n.t('wal.pdfWorking')}</p>}
        {state.done && <p className="wal-ok">{i18n.t('wal.pdfDone', { name: state.done })}</p>}
        {state.error !== undefined && <p className="wal-error" role="alert">{errorMessage(state.error, i18n)}</p>}
      </div>
    </div>
  );
}

export function BackLink() {
  const { t } = useI18n();
  return <p><Link to="/portal/wallet">{t('wal.back')}</Link></p>;
}

export function Loading({ show }: { show: boolean }) {
  const { t } = useI18n();
  return show ? <p role="status">{t('wal.loading')}</p> : null;
}

/** "CNY 120.00" / "120.00 元" from the API's "0.00" string (never a float). */
export function useYuan(): (amount: string) => string {
  const { t } = useI18n();
  return (amount) => t('wal.bill.yuan', { amount });
}
