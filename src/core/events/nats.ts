// JetStream bridge: the dispatcher publishes each outbox event to `yunling.<type>` with the event id
// as Nats-Msg-Id (JetStream drops duplicates inside its window); every node reads the stream with
// an ordered consumer from "now" and hands events to its broadcast subscribers.
import { connect, DeliverPolicy, type NatsConnection, type JetStreamClient, type ConsumerMessages } from 'nats';
import type { Logger } from 'pino';
import type { YunlingEvent } from './types.js';

export class NatsBridge {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly log: Logger,
    private messages: ConsumerMessages | null = null,
  ) {}

  static async connect(url: string, stream: string, log: Logger): Promise<NatsBridge> {
    const nc = await connect({ servers: url, name: 'yunling', timeout: 5000 });
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(stream);
    } catch {
      await jsm.streams.add({ name: stream, subjects: ['yunling.>'], duplicate_window: 120 * 1_000_000_000 });
    }
    return new NatsBridge(nc, nc.jetstream(), stream, log);
  }

  subject(event: YunlingEvent): string {
    return `yunling.${event.type}`;
  }

  async publish(event: YunlingEvent): Promise<void> {
    await this.js.publish(this.subject(event), JSON.stringify(event), { msgID: event.id });
  }

  /** Starts delivering new stream messages to `onEvent`; resolves once the consumer is ready. */
  async listen(onEvent: (e: YunlingEvent) => Promise<void>): Promise<void> {
    const consumer = await this.js.consumers.get(this.stream, { filterSubjects: ['yunling.>'], deliver_policy: DeliverPolicy.New });
    this.messages = await consumer.consume();
    const messages = this.messages;
    void (async () => {
      for await (const m of messages) {
        try {
          await onEvent(JSON.parse(m.string()) as YunlingEvent);
        } catch (err) {
          this.log.warn({ err, subject: m.subject }, 'bad event from NATS');
        }
      }
    })();
  }

  async close(): Promise<void> {
    await this.messages?.close().catch(() => {});
    await this.nc.drain().catch(() => {});
  }
}
