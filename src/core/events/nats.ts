// JetStream bridge: the dispatcher publishes each outbox event to `yunling.<type>` with the event id
// as Nats-Msg-Id (JetStream drops duplicates inside its 2-minute window); every node reads the
// stream with an ordered consumer starting at the stream's end when it connects, and hands events
// to its broadcast subscribers. If the consumer fails (server restart, stream re-created, …) the
// node re-opens it after the last message it saw, with backoff, until close().
import { connect, DeliverPolicy, nanos, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { YunlingEvent } from './types.js';

export const SUBJECT_PREFIX = 'yunling.';
/** Stream retention: broadcast subscribers read live, other systems may replay up to a week. */
export const STREAM_MAX_AGE_MS = 7 * 24 * 3_600_000;
const OPEN_TIMEOUT_MS = 10_000;

export class NatsBridge {
  private messages: ConsumerMessages | null = null;
  private closed = false;
  /** Stream sequence the consumer (re)starts from. */
  private nextSeq = 0;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly log: Logger,
  ) {}

  static async connect(url: string, stream: string, log: Logger): Promise<NatsBridge> {
    // Reconnect forever: the default gives up after 10 tries, and then this node would never
    // again publish or hear other nodes' events.
    const nc = await connect({ servers: url, name: 'yunling', timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
    try {
      const jsm = await nc.jetstreamManager();
      await ensureStream(jsm, stream);
      return new NatsBridge(nc, jsm, nc.jetstream(), stream, log);
    } catch (err) {
      await nc.close().catch(() => {});
      throw err;
    }
  }

  subject(event: YunlingEvent): string {
    return `${SUBJECT_PREFIX}${event.type}`;
  }

  async publish(event: YunlingEvent): Promise<void> {
    await this.js.publish(this.subject(event), JSON.stringify(event), { msgID: event.id });
  }

  /** Starts delivering new stream messages to `onEvent`; resolves once the consumer is ready. */
  async listen(onEvent: (e: YunlingEvent) => Promise<void>): Promise<void> {
    if (this.loop) throw new Error('NatsBridge.listen called twice');
    const info = await this.jsm.streams.info(this.stream);
    this.nextSeq = info.state.last_seq + 1;
    await this.open();
    this.loop = this.run(onEvent);
  }

  private async open(): Promise<void> {
    // One filter subject as a string (`filter_subject`): an array becomes `filter_subjects`, which
    // needs nats-server ≥ 2.10 — on 2.9 (Debian bookworm) consume() then never returns.
    const consumer = await this.js.consumers.get(this.stream, {
      filterSubjects: `${SUBJECT_PREFIX}>`,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.nextSeq,
    });
    this.messages = await withTimeout(consumer.consume(), OPEN_TIMEOUT_MS, `opening a consumer on NATS stream ${this.stream}`);
  }

  private async run(onEvent: (e: YunlingEvent) => Promise<void>): Promise<void> {
    let delay = 250;
    while (!this.closed) {
      if (!this.messages) {
        try {
          await this.open();
        } catch (err) {
          this.log.warn({ err, stream: this.stream }, 'cannot open the NATS consumer; retrying');
          await this.sleep(delay);
          delay = Math.min(delay * 2, 30_000);
          continue;
        }
      }
      const messages = this.messages!;
      try {
        for await (const m of messages) {
          this.nextSeq = m.seq + 1;
          delay = 250;
          let event: YunlingEvent;
          try {
            event = JSON.parse(m.string()) as YunlingEvent;
          } catch (err) {
            this.log.warn({ err, subject: m.subject, seq: m.seq }, 'unreadable event from NATS skipped');
            continue;
          }
          try {
            await onEvent(event);
          } catch (err) {
            this.log.warn({ err, subject: m.subject, event: event.id }, 'event from NATS not handled');
          }
        }
        if (!this.closed) this.log.warn({ stream: this.stream }, 'NATS consumer ended; reopening');
      } catch (err) {
        if (!this.closed) this.log.warn({ err, stream: this.stream }, 'NATS consumer failed; reopening');
      }
      this.messages = null;
      if (!this.closed) {
        await this.sleep(delay);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** For tests and diagnostics: make the consumer fail as a dropped server would. */
  failConsumer(err = new Error('consumer failed')): void {
    (this.messages as unknown as { stop?: (e?: Error) => void } | null)?.stop?.(err);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.messages?.close().catch(() => {});
    // The loop ends once its consumer is closed; do not let a reconnecting server hold up shutdown.
    if (this.loop) await Promise.race([this.loop.catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.nc.drain().catch(() => {});
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
    }),
  ]);
}

async function ensureStream(jsm: JetStreamManager, stream: string): Promise<void> {
  try {
    await jsm.streams.info(stream);
    return;
  } catch {
    /* not there yet */
  }
  try {
    await jsm.streams.add({ name: stream, subjects: [`${SUBJECT_PREFIX}>`], duplicate_window: nanos(120_000), max_age: nanos(STREAM_MAX_AGE_MS) });
  } catch (err) {
    // Another node may have created it at the same moment.
    await jsm.streams.info(stream).catch(() => {
      throw err;
    });
  }
}
