/**
 * Live job updates for `batchJobUpdated`: one poller per job id, however many subscribers watch
 * it. A poller asks LlamaCloud every LIVE_POLL_INTERVAL_MS, tells its subscribers only when the job
 * changed, ends their streams after a terminal status, and stops when the last subscriber leaves.
 * A failed poll is passed on as an error event; the stream goes on and the next poll may succeed.
 *
 * In a fleet (REDIS_URL) one replica polls each job for all (fleet/poll-leases.ts): at each tick a
 * replica with subscribers polls only while it holds the job's lease, and publishes what changed;
 * the others hear it and tell their own subscribers.
 *
 * Polls share the upstream pool with queries, so at most `maxConcurrentPolls` run at once and the
 * rest wait their turn in arrival order: 500 new watchers queue here instead of overflowing the
 * pool's queue. A poll the gateway itself refused for load is never a subscriber's error: it is
 * tried again a moment later.
 */
import { Repeater } from '@repeaterjs/repeater';
import pLimit, { type LimitFunction } from 'p-limit';
import { GatewayError, jobNotFound, shuttingDown } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { inOwnTrace } from '../observability/tracing.js';
import type { LlamaCloudClient } from '../upstream/client.js';
import { TERMINAL_STATUSES, type BatchJobModel } from '../upstream/wire.js';

export type JobEvent = { job: BatchJobModel } | { error: GatewayError };

/** Who polls which job: this replica alone, or one replica of the fleet for all. */
export interface PollCoordinator {
  /** Whether this replica should poll `id` now (it holds, or has just taken, the job's lease). */
  mayPoll(id: string): Promise<boolean>;
  /** This replica no longer watches `id`: let another one poll it. */
  release(id: string): void;
  /** Tells the other replicas what this one's poll of `id` found. */
  publish(id: string, event: JobEvent): void;
  /** The last event any replica published for `id`, if it is still known. */
  last(id: string): Promise<JobEvent | null>;
  /** Events the other replicas publish. */
  onEvent(listener: (id: string, event: JobEvent) => void): void;
}

/** Every replica polls its own watched jobs (no REDIS_URL, or as a fallback). */
export const LOCAL_POLLING: PollCoordinator = {
  mayPoll: () => Promise.resolve(true),
  release: () => undefined,
  publish: () => undefined,
  last: () => Promise.resolve(null),
  onEvent: () => undefined,
};

/** Why a stream ended, as counted in gateway_subscriptions_ended_total. */
export type StreamEnd = 'completed' | 'not_found' | 'shutting_down' | 'client_left';

interface Listener {
  push(event: JobEvent): void;
  end(reason: Exclude<StreamEnd, 'client_left'>): void;
}

export interface LiveJobsOptions {
  intervalMs: number;
  /** Budget of one poll, retries included. */
  pollDeadlineMs: number;
  /** Most polls in flight at once, across all watched jobs. */
  maxConcurrentPolls: number;
  logger: Logger;
  /** Who polls; by default this replica, for itself. */
  coordinator?: PollCoordinator;
  /** Where subscriptions are counted. */
  metrics?: GatewayMetrics;
}

/** How soon a poll refused for load is tried again, at most (jittered, so they do not return together). */
const OVERLOAD_RETRY_MS = 250;

export class LiveJobs {
  readonly #pollers = new Map<string, Poller>();
  readonly #limit: LimitFunction;
  readonly #coordinator: PollCoordinator;
  #closed = false;

  constructor(
    private readonly client: LlamaCloudClient,
    private readonly options: LiveJobsOptions,
  ) {
    this.#limit = pLimit(options.maxConcurrentPolls);
    this.#coordinator = options.coordinator ?? LOCAL_POLLING;
    this.#coordinator.onEvent((id, event) => void this.#pollers.get(id)?.deliver(event));
  }

  /** The job's events from now on, starting with its current state. Ends after a terminal status. */
  watch(id: string): AsyncIterableIterator<JobEvent> {
    const { metrics } = this.options;
    return new Repeater<JobEvent>(async (push, stop) => {
      metrics?.subscriptionsStarted.inc();
      if (this.#closed) {
        await push({ error: shuttingDown() });
        stop();
        metrics?.subscriptionsEnded.inc({ outcome: 'shutting_down' });
        return;
      }
      metrics?.subscriptionsActive.inc();
      let outcome: StreamEnd = 'client_left';
      let poller = this.#pollers.get(id);
      if (!poller) {
        poller = new Poller(id, this.client, this.options, this.#limit, this.#coordinator, () =>
          this.#pollers.delete(id),
        );
        this.#pollers.set(id, poller);
      }
      const listener: Listener = {
        push: (event) => void push(event),
        end: (reason) => {
          outcome = reason;
          stop();
        },
      };
      poller.add(listener);
      await stop;
      poller.remove(listener);
      metrics?.subscriptionsActive.dec();
      metrics?.subscriptionsEnded.inc({ outcome });
    });
  }

  /**
   * The job changed (a signed webhook said so): read it fresh now, tell this replica's
   * subscribers at once, and the other replicas through the coordinator. Resolves when told.
   */
  async refresh(id: string): Promise<void> {
    // Nobody watches it here, and no other replica could be told: nothing to read it for.
    if (this.#closed || (!this.#pollers.has(id) && this.#coordinator === LOCAL_POLLING)) return;
    let event: JobEvent;
    try {
      const job = await this.client.getBatchJob(id, {
        fresh: true,
        deadline: Date.now() + this.options.pollDeadlineMs,
      });
      event = job === null ? { error: jobNotFound(id) } : { job };
    } catch (error) {
      // The pollers' safety net carries on; a failed read is no subscriber's error.
      this.options.logger.warn({ err: error, jobId: id }, 'reading a job a webhook announced failed');
      return;
    }
    this.#coordinator.publish(id, event);
    this.#pollers.get(id)?.deliver(event);
  }

  /** Job ids being watched now (for tests and metrics). */
  get watched(): string[] {
    return [...this.#pollers.keys()];
  }

  /**
   * Shutdown: every stream gets a SHUTTING_DOWN error as its last event, then ends, and every
   * poller stops. A plain end would read as "the job is over" to a client; the code tells it to
   * subscribe again (another replica, or this one restarted, carries on from the job's state).
   */
  close(): void {
    this.#closed = true;
    for (const poller of [...this.#pollers.values()]) poller.endAll('shutting_down', shuttingDown());
  }
}

class Poller {
  readonly #listeners = new Set<Listener>();
  #last: { fingerprint: string; event: JobEvent } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #stopped = false;

  constructor(
    private readonly id: string,
    private readonly client: LlamaCloudClient,
    private readonly options: LiveJobsOptions,
    private readonly limit: LimitFunction,
    private readonly coordinator: PollCoordinator,
    private readonly onIdle: () => void,
  ) {}

  add(listener: Listener): void {
    this.#listeners.add(listener);
    // A late subscriber starts from the state the others already have.
    if (this.#last) listener.push(this.#last.event);
    if (!this.#running && this.#timer === null) void this.#tick(true);
  }

  remove(listener: Listener): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.#stop();
  }

  /** Ends every stream, after `last` when given (the reason it ends). */
  endAll(reason: Exclude<StreamEnd, 'client_left'>, last?: GatewayError): void {
    for (const listener of [...this.#listeners]) {
      if (last) listener.push({ error: last });
      listener.end(reason);
    }
    this.#stop();
  }

  /**
   * Tells the subscribers about `event` when it differs from what they have; ends them after a
   * terminal status. True when the streams have ended (then or before).
   */
  deliver(event: JobEvent): boolean {
    if (this.#stopped) return true;
    const fingerprint = 'job' in event ? JSON.stringify(event.job) : `error:${event.error.code}`;
    if (fingerprint !== this.#last?.fingerprint) {
      this.#last = { fingerprint, event };
      for (const listener of this.#listeners) listener.push(event);
    }
    if (!isFinal(event)) return false;
    this.endAll('job' in event ? 'completed' : 'not_found');
    return true;
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.coordinator.release(this.id);
    this.onIdle();
  }

  /** One interval: poll when this replica is the one to (or has nothing to show a first subscriber yet). */
  async #tick(first = false): Promise<void> {
    this.#timer = null;
    this.#running = true;
    let poll = await this.coordinator.mayPoll(this.id);
    if (!poll && first && !this.#last) {
      // Another replica polls this job: start from what it last found, or look once ourselves.
      const known = await this.coordinator.last(this.id);
      if (known) this.deliver(known);
      else poll = true;
    }
    const event = poll ? await this.#poll() : undefined;
    this.#running = false;
    if (this.#stopped) return;
    if (event === null) {
      // Refused for load: soon again, not a whole interval later.
      this.#timer = setTimeout(() => void this.#tick(first), Math.random() * OVERLOAD_RETRY_MS);
      return;
    }
    if (event) {
      this.coordinator.publish(this.id, event);
      if (this.deliver(event)) return;
    }
    this.#timer = setTimeout(() => void this.#tick(), this.options.intervalMs);
  }

  /** One upstream poll; null when the gateway refused it for load (try again shortly). */
  async #poll(): Promise<JobEvent | null> {
    try {
      // The deadline starts when the poll's turn comes, not while it waits for one.
      const answer = await this.limit(() =>
        this.#stopped
          ? undefined
          : // Each poll is a trace of its own, not part of the request that first subscribed.
            inOwnTrace('poll batch job', { 'gateway.job_id': this.id }, () =>
              this.client.getBatchJob(this.id, { deadline: Date.now() + this.options.pollDeadlineMs }),
            ),
      );
      if (answer === undefined) return null;
      if (answer === null) {
        return { error: jobNotFound(this.id) };
      }
      return { job: answer };
    } catch (error) {
      if (error instanceof GatewayError && error.overloaded === true) return null;
      if (!(error instanceof GatewayError))
        this.options.logger.error({ err: error, jobId: this.id }, 'live poll failed');
      return {
        error: error instanceof GatewayError ? error : new GatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.'),
      };
    }
  }
}

/** After this event the job never changes again: a terminal status, or a job LlamaCloud does not know. */
export function isFinal(event: JobEvent): boolean {
  if ('job' in event) return TERMINAL_STATUSES.has(event.job.status);
  return event.error.details.upstreamStatus === 404;
}
