// Durable jobs and timers. A job row is claimed with FOR UPDATE SKIP LOCKED, so any number of
// nodes can work the same table; a claimed job carries a lease, and a node that dies mid-job
// loses it when the lease runs out. Failures retry with exponential backoff until max_attempts,
// then the job is 'dead' (kept, with its last error, for an operator).
// Timers are jobs with run_at computed from the working-day calendar.
import os from 'node:os';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db, Executor } from '../db/types.js';

export interface Job<P = Record<string, unknown>> {
  id: string;
  name: string;
  payload: P;
  key: string | null;
  division: string | null;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
}

export interface JobDefinition {
  handler: (job: Job<any>) => Promise<void>;
  maxAttempts?: number;
  /** Delay before retry n (1-based); default 5 s · 2^(n-1), at most 1 h. */
  backoffMs?: (attempt: number) => number;
  /** Lease: how long a node may hold the job before others may take it. Default 5 min. */
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

const defaultBackoff = (attempt: number) => Math.min(5000 * 2 ** (attempt - 1), 3_600_000);

export class Jobs {
  private defs = new Map<string, JobDefinition>();
  readonly nodeId = `${os.hostname()}:${process.pid}`;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly calendar: WorkingTime,
  ) {}

  define(name: string, def: JobDefinition): void {
    if (this.defs.has(name)) throw new Error(`job ${name} is already defined`);
    this.defs.set(name, def);
  }

  runAt(when: When): Date {
    const now = this.clock.now();
    if ('at' in when) return when.at;
    if ('inMs' in when) return new Date(now.getTime() + when.inMs);
    const opts = when.division ? { division: when.division } : undefined;
    const r = 'afterWorkingDays' in when
      ? this.calendar.addWorkingDays(when.from ?? now, when.afterWorkingDays, opts)
      : this.calendar.addWorkingHours(when.from ?? now, when.afterWorkingHours, opts);
    if (!r.due) throw new Error('cannot schedule a timer while the clock is paused');
    return r.due;
  }

  /**
   * Schedules a job in the caller's transaction (so it exists iff the change commits).
   * With a key, an active job with the same key is rescheduled instead of duplicated.
   */
  async schedule(ex: Executor, name: string, payload: Record<string, unknown>, when: When, opts: ScheduleOptions = {}): Promise<Date> {
    if (!this.defs.has(name)) throw new Error(`unknown job ${name}`);
    const runAt = this.runAt(when);
    const maxAttempts = opts.maxAttempts ?? this.defs.get(name)!.maxAttempts ?? 10;
    if (opts.key) {
      await sql`INSERT INTO job (name, payload, key, division, run_at, max_attempts)
        VALUES (${name}, ${JSON.stringify(payload)}::jsonb, ${opts.key}, ${opts.division ?? null}, ${runAt}, ${maxAttempts})
        ON CONFLICT (key) WHERE key IS NOT NULL AND status IN ('pending','running')
        DO UPDATE SET payload = EXCLUDED.payload, run_at = EXCLUDED.run_at, name = EXCLUDED.name`.execute(ex);
    } else {
      await sql`INSERT INTO job (name, payload, division, run_at, max_attempts)
        VALUES (${name}, ${JSON.stringify(payload)}::jsonb, ${opts.division ?? null}, ${runAt}, ${maxAttempts})`.execute(ex);
    }
    return runAt;
  }

  /** Cancels the pending job with this key (e.g. a reminder once the case is done). */
  async cancel(ex: Executor, key: string): Promise<boolean> {
    const r = await sql`UPDATE job SET status = 'cancelled', finished_at = ${this.clock.now()} WHERE key = ${key} AND status = 'pending' RETURNING id`.execute(ex);
    return r.rows.length > 0;
  }

  /** Claims up to `limit` due jobs and runs them; returns how many ran. */
  async runDue(limit = 10): Promise<number> {
    const now = this.clock.now();
    await sql`UPDATE job SET status = 'pending', locked_by = NULL, locked_until = NULL
      WHERE status = 'running' AND locked_until < ${now}`.execute(this.db);
    const names = [...this.defs.keys()];
    if (names.length === 0) return 0;
    const claimed = (await sql<any>`
      UPDATE job SET status = 'running', attempts = attempts + 1, locked_by = ${this.nodeId},
        locked_until = ${now}::timestamptz + interval '5 minutes'
      WHERE id IN (
        SELECT id FROM job WHERE status = 'pending' AND run_at <= ${now} AND name = ANY(${names}::text[])
        ORDER BY run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, name, payload, key, division, run_at, attempts, max_attempts`.execute(this.db)).rows;
    await Promise.all(claimed.map((r) => this.runOne(r)));
    return claimed.length;
  }

  private async runOne(r: any): Promise<void> {
    const def = this.defs.get(r.name)!;
    const job: Job = { id: r.id, name: r.name, payload: r.payload, key: r.key, division: r.division, runAt: new Date(r.run_at), attempts: r.attempts, maxAttempts: r.max_attempts };
    try {
      await def.handler(job);
      await sql`UPDATE job SET status = 'done', finished_at = ${this.clock.now()}, locked_by = NULL, locked_until = NULL, last_error = NULL
        WHERE id = ${job.id} AND locked_by = ${this.nodeId}`.execute(this.db);
    } catch (err) {
      const message = String((err as Error)?.message ?? err).slice(0, 2000);
      const dead = job.attempts >= job.maxAttempts;
      const retryAt = new Date(this.clock.now().getTime() + (def.backoffMs ?? defaultBackoff)(job.attempts));
      this.log.warn({ err, job: job.id, name: job.name, attempts: job.attempts, dead }, 'job failed');
      await sql`UPDATE job SET status = ${dead ? 'dead' : 'pending'}, run_at = ${dead ? job.runAt : retryAt}, last_error = ${message},
        locked_by = NULL, locked_until = NULL, finished_at = ${dead ? this.clock.now() : null}
        WHERE id = ${job.id} AND locked_by = ${this.nodeId}`.execute(this.db);
    }
  }

  async depth(): Promise<Array<{ name: string; status: string; n: number }>> {
    return (await sql<{ name: string; status: string; n: number }>`
      SELECT name, status, count(*)::int AS n FROM job WHERE status IN ('pending','running','dead') GROUP BY name, status`.execute(this.db)).rows;
  }
}
