import { describe, expect, it } from 'vitest';
import { METRICS, parseMetrics } from './metrics';

describe('metrics summary', () => {
  it('reads values and adds up labelled series', () => {
    const m = parseMetrics([
      '# HELP yunling_outbox_pending Outbox events not yet dispatched',
      '# TYPE yunling_outbox_pending gauge',
      'yunling_outbox_pending 3',
      'yunling_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 10',
      'yunling_http_request_duration_seconds_count{method="POST",route="/api/x",status="400"} 2',
      'yunling_process_resident_memory_bytes 52428800',
      'yunling_weird NaN',
    ].join('\n'));
    expect(m.get(METRICS.outboxPending)).toBe(3);
    expect(m.get(METRICS.requests)).toBe(12);
    expect(m.get(METRICS.memory)).toBe(52428800);
    expect(m.has('yunling_weird')).toBe(false);
  });
});
