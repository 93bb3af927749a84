// Small formatting helpers: every bench returns { title, columns, rows, notes } and run.mjs prints it.

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Latencies (ms, any order) → { p50, p99, max }. */
export function latencySummary(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

export const num = (v, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ms = (v) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${num(v, v < 10 ? 2 : 1)} ms`);
export const mb = (bytes) => `${num(bytes / 1048576, 1)} MB`;
export const pct = (v) => `${num(v * 100, 1)} %`;

export function formatTable({ title, columns, rows, notes = [] }) {
  const cells = rows.map((r) => columns.map((c) => String(r[c.key] ?? '')));
  const widths = columns.map((c, i) => Math.max(width(c.label), ...cells.map((r) => width(r[i]))));
  const line = (vals) => '| ' + vals.map((v, i) => (columns[i].align === 'left' ? padEnd(v, widths[i]) : padStart(v, widths[i]))).join(' | ') + ' |';
  const sep = '|' + widths.map((w, i) => (columns[i].align === 'left' ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [`### ${title}`, '', line(columns.map((c) => c.label)), sep, ...cells.map(line), ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []), ''].join('\n');
}

// CJK characters take two terminal columns.
function width(s) {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s, w) => s + ' '.repeat(Math.max(0, w - width(s)));
const padStart = (s, w) => ' '.repeat(Math.max(0, w - width(s))) + s;
