// Background loops of one node: the audit sealer and checkpoint signer, the outbox dispatcher
// (both on the lease holder only) and the job runner (on every node). tick() runs them all once,
// which tests use instead of waiting.
import type { Logger } from 'pino';
import { acquireLease, releaseLease } from './lease.js';
import { maybeCheckpoint, sealAll } from './audit/sealer.js';
import type { Core } from './index.js';

export const SEALER_LEASE = 'audit-sealer';
export const DISPATCHER_LEASE = 'outbox-dispatcher';
/** Leader leases are renewed every tick and between dispatch batches; a dead node's lapses after this. */
export const LEADER_LEASE_MS = 15_000;

export class Workers {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private held = new Set<string>();
  private log: Logger;

  constructor(private readonly core: Core) {
    this.log = core.log.child({ component: 'workers' });
  }

  private async lease(name: string): Promise<boolean> {
    const ok = await acquireLease(this.core.db, name, this.core.nodeId, LEADER_LEASE_MS);
    if (ok) this.held.add(name);
    else this.held.delete(name);
    return ok;
  }

  async tick(): Promise<{ sealed: number; dispatched: number; jobs: number }> {
    const { core } = this;
    let sealed = 0;
    let dispatched = 0;
    let jobs = 0;
    if (await this.lease(SEALER_LEASE)) {
      sealed = await sealAll(core.db, core.audit.hasher);
      await maybeCheckpoint(core.db, core.audit.signer, {
        every: core.config.auditCheckpointEvery,
        seconds: core.config.auditCheckpointSeconds,
        now: core.clock.now(),
      });
    }
    if (await this.lease(DISPATCHER_LEASE)) {
      for (;;) {
        const n = await core.events.dispatchBatch();
        dispatched += n;
        if (n === 0) break;
        // Renew between batches: a long backlog must not outlast the lease, or a second node
        // would start dispatching the same events alongside this one (and out of order).
        if (!(await this.lease(DISPATCHER_LEASE))) break;
      }
    }
    for (;;) {
      const n = await core.jobs.runDue(core.config.jobsConcurrency);
      jobs += n;
      if (n === 0) break;
    }
    return { sealed, dispatched, jobs };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((err) => this.log.error({ err }, 'worker tick failed'));
      await this.running;
      this.running = null;
      if (!this.stopped) this.timer = setTimeout(loop, this.core.config.pollMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stops the loop, waits for a tick in progress and hands the leader leases back at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    for (const name of this.held) await releaseLease(this.core.db, name, this.core.nodeId).catch(() => {});
    this.held.clear();
  }
}
