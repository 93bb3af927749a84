// Background loops of one node: the audit sealer and checkpoint signer, the outbox dispatcher
// (both on the lease holder only) and the job runner (on every node). tick() runs them all once,
// which tests use instead of waiting.
import type { Logger } from 'pino';
import { acquireLease } from './lease.js';
import { maybeCheckpoint, sealAll } from './audit/sealer.js';
import type { Core } from './index.js';

export class Workers {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private log: Logger;

  constructor(private readonly core: Core) {
    this.log = core.log.child({ component: 'workers' });
  }

  async tick(): Promise<{ sealed: number; dispatched: number; jobs: number }> {
    const { core } = this;
    let sealed = 0;
    let dispatched = 0;
    let jobs = 0;
    if (await acquireLease(core.db, 'audit-sealer', core.nodeId, 15_000)) {
      sealed = await sealAll(core.db, core.audit.hasher);
      await maybeCheckpoint(core.db, core.audit.signer, {
        every: core.config.auditCheckpointEvery,
        seconds: core.config.auditCheckpointSeconds,
        now: core.clock.now(),
      });
    }
    if (await acquireLease(core.db, 'outbox-dispatcher', core.nodeId, 15_000)) {
      for (;;) {
        const n = await core.events.dispatchBatch();
        dispatched += n;
        if (n === 0) break;
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

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
