// A few numbers out of the Prometheus text at /metrics, for the health page.
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    // Series with labels add up (e.g. request counts over every route and status).
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + value);
  }
  return out;
}

export const METRICS = {
  memory: 'yunling_process_resident_memory_bytes',
  requests: 'yunling_http_request_duration_seconds_count',
  outboxPending: 'yunling_outbox_pending',
  outboxLag: 'yunling_outbox_lag_seconds',
  jobsDue: 'yunling_jobs_due',
  auditUnsealed: 'yunling_audit_unsealed',
  started: 'yunling_process_start_time_seconds',
} as const;
