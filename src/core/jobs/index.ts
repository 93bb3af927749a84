// Durable jobs and timers. A job row is claimed with FOR UPDATE SKIP LOCKED, so any number of
// nodes can work the same table; a claimed job carries a lease (per job definition, default 5 min),
// and a node that dies mid-job loses it when the lease runs out. Failures retry with exponential
// backoff until max_attempts, then the job is 'dead' (kept, with its last error, for an operator).
// Timers are jobs with run_at computed from the working-day calendar.
// Lease and run_at times come from the injected Clock (a ManualClock in tests).
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db, Executor } from '../db/types.js';
import { errorMessage } from './error-message.js';

export { errorMessage };

export interface Job<P = Record<string, unknown>> {
  id: string;
  name: string;
  payload: P;
  key: string | null;
  division: string | null;
  runAt: Date;
  /** This attempt's number, 1-based. */
  attempts: number;
  maxAttempts: number;
  /** Aborted when the job outruns its lease: stop work, another node may take the job over. */
  signal: AbortSignal;
}

export interface JobDefinition {
  handler: (job: Job<any>) => Promise<void>;
  maxAttempts?: number;
  /** Delay before retry n (1-based); default 5 s · 2^(n-1), at most 1 h. */
  backoffMs?: (attempt: number) => number;
  /**
   * Lease: how long a node may hold the job before others may take it (default 5 min). A handler
   * still running when its lease ends is abandoned by this node (its `signal` aborts) and the
   * attempt counts as failed; keep handlers well inside their lease.
   */
  leaseMs?: number;
}

export type When =
  | { at: Date }
  | { inMs: number }
  | { afterWorkingDays: number; from?: Date; division?: string }
  | { afterWorkingHours: number; from?: Date; division?: string };

export interface ScheduleOptions {
  key?: string;
  division?: string | null;
  maxAttempts?: number;
}

/** The part of the calendar the scheduler needs (core/calendar provides it). */
export interface WorkingTime {
  addWorkingDays(start: Date, n: number, opts?: { division?: string }): { due: Date | null };
  addWorkingHours(start: Date, hours: number, opts?: { division?: string }): { due: Date | null };
}

export const DEFAULT_JOB_LEASE_MS = 5 * 60_000;
const defaultBackoff = (attempt: number) => Math.min(5000 * 2 ** (attempt - 1), 3_600_000);

interface ClaimedRow {
  id: string; name: string; payload: Record<string, unknown>; key: string | null; division: string | null;
  run_at: Date; attempts: number; max_attempts: number;
}

export class Jobs {
  private defs = new Map<string, JobDefinition>();
  /** Unique per instance (two Cores in one process are two nodes): completions are guarded by it. */
  readonly nodeId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly calendar: WorkingTime,
  ) {}

  define(name: string, def: JobDefinition): void {
    if (this.defs.has(name)) throw new Error(`job ${name} is already defined`);
    if (def.leaseMs !== undefined && !(Number.isFinite(def.leaseMs) && def.leaseMs > 0)) throw new RangeError(`job ${name}: leaseMs must be a positive number`);
    if (def.maxAttempts !== undefined && !(Number.isInteger(def.maxAttempts) && def.maxAttempts >= 1)) throw new RangeError(`job ${name}: maxAttempts must be an integer ≥ 1`);
    this.defs.set(name, def);
  }

  runAt(when: When): Date {
    const now = this.clock.now();
    let due: Date | null;
    if ('at' in when) due = when.at;
    else if ('inMs' in when) due = new Date(now.getTime() + when.inMs);
    else {
      const opts = when.division ? { division: when.division } : undefined;
      due = 'afterWorkingDays' in when
        ? this.calendar.addWorkingDays(when.from ?? now, when.afterWorkingDays, opts).due
        : this.calendar.addWorkingHours(when.from ?? now, when.afterWorkingHours, opts).due;
      if (!due) throw new Error('cannot schedule a timer while the clock is paused');
    }
    if (!(due instanceof Date) || Number.isNaN(due.getTime())) throw new RangeError('job run time is not a valid date');
    return due;
  }

  /**
   * Schedules a job in the caller's transaction (so it exists iff the change commits).
   * With a key, the active (pending or running) job with that key is rescheduled instead of
   * duplicated: it takes the new name, payload, run time and max attempts and starts afresh
   * (attempts 0). A run of it already in progress is superseded: its outcome is not recorded.
   */
  async schedule(ex: Executor, name: string, payload: Record<string, unknown>, when: When, opts: ScheduleOptions = {}): Promise<Date> {
    const def = this.defs.get(name);
    if (!def) throw new Error(`unknown job ${name}`);
    const runAt = this.runAt(when);
    const maxAttempts = opts.maxAttempts ?? def.maxAttempts ?? 10;
    if (opts.key) {
      await sql`INSERT INTO job (name, payload, key, division, run_at, max_attempts)
        VALUES (${name}, ${JSON.stringify(payload)}::jsonb, ${opts.key}, ${opts.division ?? null}, ${runAt}, ${maxAttempts})
        ON CONFLICT (key) WHERE key IS NOT NULL AND status IN ('pending','running')
        DO UPDATE SET name = EXCLUDED.name, payload = EXCLUDED.payload, division = EXCLUDED.division, run_at = EXCLUDED.run_at,
          max_attempts = EXCLUDED.max_attempts, status = 'pending', attempts = 0, last_error = NULL, locked_by = NULL, locked_until = NULL`.execute(ex);
    } else {
      await sql`INSERT INTO job (name, payload, division, run_at, max_attempts)
        VALUES (${name}, ${JSON.stringify(payload)}::jsonb, ${opts.division ?? null}, ${runAt}, ${maxAttempts})`.execute(ex);
    }
    return runAt;
  }

  /**
   * Cancels the active job with this key (e.g. a reminder once the case is done). A run already
   * in progress finishes, but its outcome is not recorded and it is not retried.
   */
  async cancel(ex: Executor, key: string): Promise<boolean> {
    const r = await sql`UPDATE job SET status = 'cancelled', finished_at = ${this.clock.now()}, locked_by = NULL, locked_until = NULL
      WHERE key = ${key} AND status IN ('pending','running') RETURNING id`.execute(ex);
    return r.rows.length > 0;
  }

  /**
   * Returns running jobs whose lease has expired (their node crashed, or they outran the lease)
   * to 'pending' — or 'dead' once they have used all their attempts, so a job that kills its
   * runner cannot loop forever.
   */
  async reclaimExpired(): Promise<number> {
    const now = this.clock.now();
    const r = await sql`UPDATE job SET
        status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
        finished_at = CASE WHEN attempts >= max_attempts THEN ${now}::timestamptz ELSE NULL END,
        last_error = 'lease expired on ' || coalesce(locked_by, '?') || ' (runner stopped, or the job outran its lease)',
        locked_by = NULL, locked_until = NULL
      WHERE status = 'running' AND locked_until < ${now} RETURNING id`.execute(this.db);
    return r.rows.length;
  }

  /** Claims up to `limit` due jobs and runs them; returns how many ran. */
  async runDue(limit = 10): Promise<number> {
    const now = this.clock.now();
    await this.reclaimExpired();
    const names = [...this.defs.keys()];
    if (names.length === 0) return 0;
    const leases = names.map((n) => this.defs.get(n)!.leaseMs ?? DEFAULT_JOB_LEASE_MS);
    const claimed = (await sql<ClaimedRow>`
      UPDATE job SET status = 'running', attempts = job.attempts + 1, locked_by = ${this.nodeId},
        locked_until = ${now}::timestamptz + l.ms * interval '1 millisecond'
      FROM unnest(${names}::text[], ${leases}::float8[]) AS l(name, ms)
      WHERE job.name = l.name AND job.id IN (
        SELECT id FROM job WHERE status = 'pending' AND run_at <= ${now} AND name = ANY(${names}::text[])
        ORDER BY run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING job.id, job.name, job.payload, job.key, job.division, job.run_at, job.attempts, job.max_attempts`.execute(this.db)).rows;
    const results = await Promise.allSettled(claimed.map((r) => this.runOne(r)));
    for (const r of results) if (r.status === 'rejected') this.log.error({ err: r.reason }, 'could not record a job outcome; its lease will expire and it will run again');
    return claimed.length;
  }

  private async runOne(r: ClaimedRow): Promise<void> {
    const def = this.defs.get(r.name)!;
    const leaseMs = def.leaseMs ?? DEFAULT_JOB_LEASE_MS;
    const abort = new AbortController();
    const job: Job = {
      id: r.id, name: r.name, payload: r.payload, key: r.key, division: r.division, runAt: new Date(r.run_at),
      attempts: r.attempts, maxAttempts: r.max_attempts, signal: abort.signal,
    };
    // Only the claim that is still ours may record the outcome: not after a reschedule, a cancel,
    // or a reclaim by another runner (which also bumps attempts).
    const ours = sql`id = ${job.id} AND status = 'running' AND locked_by = ${this.nodeId} AND attempts = ${job.attempts}`;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => def.handler(job))(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const err = new Error(`job outran its lease of ${leaseMs} ms`);
            abort.abort(err);
            reject(err);
          }, leaseMs);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
      await sql`UPDATE job SET status = 'done', finished_at = ${this.clock.now()}, locked_by = NULL, locked_until = NULL, last_error = NULL
        WHERE ${ours}`.execute(this.db);
    } catch (err) {
      clearTimeout(timer);
      const message = errorMessage(err);
      const dead = job.attempts >= job.maxAttempts;
      let delay = defaultBackoff(job.attempts);
      try {
        const d = (def.backoffMs ?? defaultBackoff)(job.attempts);
        if (Number.isFinite(d) && d >= 0) delay = d;
      } catch {
        /* a broken backoff function falls back to the default */
      }
      const now = this.clock.now();
      this.log.warn({ err, job: job.id, name: job.name, attempts: job.attempts, dead }, 'job failed');
      await sql`UPDATE job SET status = ${dead ? 'dead' : 'pending'}, run_at = ${dead ? job.runAt : new Date(now.getTime() + delay)}, last_error = ${message},
        locked_by = NULL, locked_until = NULL, finished_at = ${dead ? now : null}
        WHERE ${ours}`.execute(this.db);
    }
  }

  async depth(): Promise<Array<{ name: string; status: string; n: number }>> {
    return (await sql<{ name: string; status: string; n: number }>`
      SELECT name, status, count(*)::int AS n FROM job WHERE status IN ('pending','running','dead') GROUP BY name, status`.execute(this.db)).rows;
  }
}
