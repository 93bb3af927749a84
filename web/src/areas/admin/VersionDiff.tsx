// 版本比较: a unified line diff (jsdiff) of two definitions in canonical form — JSON with object
// keys sorted and two-space indentation, so that only real changes show. Added lines are marked
// "+" and removed "−" in text (not only colour); a summary is announced to screen readers.
import { diffLines } from 'diff';
import { Typography } from 'antd';
import { useT } from '../../i18n';

/** Stable text of a definition: keys sorted at every level, arrays kept in order. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}

export interface DiffLine { op: '+' | '-' | ' '; text: string }

/** The lines of a unified diff of two values (every line, unchanged ones too). */
export function diffDefinitions(before: unknown, after: unknown): DiffLine[] {
  const out: DiffLine[] = [];
  for (const part of diffLines(canonical(before), canonical(after))) {
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    for (const line of part.value.replace(/\n$/, '').split('\n')) out.push({ op, text: line });
  }
  return out;
}

/** Keeps `context` unchanged lines around each change; longer unchanged runs become one "…" line. */
export function hunks(lines: DiffLine[], context = 3): Array<DiffLine | null> {
  const keep = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.op === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: Array<DiffLine | null> = [];
  lines.forEach((l, i) => {
    if (keep[i]) out.push(l);
    else if (out[out.length - 1] !== null) out.push(null);
  });
  return out;
}

const STYLE = { '+': { background: '#e6f4ea', color: '#0b5d1e' }, '-': { background: '#fde8e8', color: '#8a1111' }, ' ': {} } as const;

export function VersionDiff({ before, after, beforeLabel, afterLabel }: { before: unknown; after: unknown; beforeLabel: string; afterLabel: string }) {
  const t = useT();
  const lines = diffDefinitions(before, after);
  const added = lines.filter((l) => l.op === '+').length;
  const removed = lines.filter((l) => l.op === '-').length;
  return (
    <section aria-label={t('adm.diff.title', { a: beforeLabel, b: afterLabel })} className="yl-diff">
      <Typography.Paragraph aria-live="polite">
        {added + removed === 0 ? t('adm.diff.same') : t('adm.diff.summary', { a: beforeLabel, b: afterLabel, added, removed })}
      </Typography.Paragraph>
      {added + removed > 0 && (
        <pre tabIndex={0} aria-label={t('adm.diff.lines')} style={{ maxHeight: '60vh', overflow: 'auto', fontSize: 13, margin: 0, border: '1px solid #d9d9d9', padding: 0 }}>
          {hunks(lines).map((l, i) => (l === null
            ? <div key={i} style={{ color: '#555', padding: '0 8px' }}>…</div>
            : <div key={i} style={{ ...STYLE[l.op], padding: '0 8px', whiteSpace: 'pre-wrap' }}><span aria-hidden={l.op === ' '}>{l.op === '-' ? '−' : l.op}</span> {l.text}</div>))}
        </pre>
      )}
    </section>
  );
}
