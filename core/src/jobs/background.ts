import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { HubContext } from '../context';
import { relayEvents, RELAY_BATCH } from '../events/relay';
import { ChangeStreams } from '../integrations/change-streams';
import { PostgresJobRunner } from './pg-runner';
import { Poller, tickResult } from './poller';
import { recurringSchedules, startPostgresSchedules } from './schedules';

export interface BackgroundOptions {
  /**
   * Run jobs in this process (a worker). False: only relay events into jobs (and, with Redis, hand
   * them to BullMQ) and leave running them to `referloop worker` processes.
   */
  consume?: boolean;
  /** Multiplies every retry delay (tests and benches shrink the 15 s … 6 h webhook backoff). */
  retryDelayScale?: number;
  /** Periods of recurring job types by name (tests shorten `rewards.release`). */
  every?: Record<string, number>;
  /** BullMQ key prefix; default REDIS_PREFIX. */
  redisPrefix?: string;
  /** Delete this hub's BullMQ queues when it stops: test hubs, whose prefix is thrown away. */
  removeQueuesOnStop?: boolean;
}

export interface Background {
  runner: 'bullmq' | 'postgres';
  stop(): Promise<void>;
}

/**
 * Start the background parts on a hub: the relay (events → deliveries and jobs) always; with
 * REDIS_URL the dispatcher to BullMQ and, when consuming, BullMQ workers; otherwise, when consuming,
 * the Postgres runner. Recurring jobs are scheduled by consumers. Everything stops when the hub
 * closes.
 */
export async function startBackground(
  hub: HubContext & { onClose(fn: () => Promise<void> | void): void },
  options: BackgroundOptions = {},
): Promise<Background> {
  const consume = options.consume ?? true;
  const log = hub.log.child({ component: 'background' });
  const retryScale = options.retryDelayScale ?? 1;
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const schedules = recurringSchedules(options.every);
  const stops: Array<() => Promise<void> | void> = [];

  const relay = new Poller('relay', async () => tickResult(await relayEvents(hub.db), RELAY_BATCH), { wakeOn: 'events', log, maxMs: 1000 });
  relay.start();
  stops.push(() => relay.stop());

  const redisUrl = hub.config.REDIS_URL;
  if (redisUrl) {
    // Loaded only when used: BullMQ and its Redis client are a large import for every CLI command and test hub.
    const { BullConsumer, BullDispatcher } = require('./bullmq') as typeof import('./bullmq');
    const bull = { redisUrl, prefix: options.redisPrefix ?? hub.config.REDIS_PREFIX, log, retryScale };
    const dispatcher = new BullDispatcher(hub, bull);
    dispatcher.start();
    if (consume) {
      const consumer = new BullConsumer(hub, bull);
      await consumer.start(schedules, dispatcher);
      stops.push(() => consumer.stop());
    }
    // Stopped last: workers may still enqueue while they finish.
    stops.push(() => dispatcher.stop(options.removeQueuesOnStop ?? false));
  } else if (consume) {
    const runner = new PostgresJobRunner(hub, { workerId, log, retryScale });
    runner.start();
    const stopSchedules = startPostgresSchedules(hub, schedules, log);
    stops.push(stopSchedules, () => runner.stop());
  }

  if (consume) {
    // Vendor change streams (Salesforce Change Data Capture) are held open by workers; closed first on stop.
    const streams = new ChangeStreams(hub, { workerId, log });
    streams.start();
    stops.unshift(() => streams.stop());
  }

  let stopped: Promise<void> | undefined;
  const background: Background = {
    runner: redisUrl ? 'bullmq' : 'postgres',
    stop() {
      stopped ??= (async () => {
        for (const stop of stops) await stop();
      })();
      return stopped;
    },
  };
  hub.onClose(() => background.stop());
  log.debug({ runner: background.runner, consume, workerId }, 'background started');
  return background;
}
