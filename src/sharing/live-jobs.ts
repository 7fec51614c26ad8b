/**
 * Live job updates for `batchJobUpdated`: one poller per job id, however many subscribers watch
 * it. A poller asks LlamaCloud every LIVE_POLL_INTERVAL_MS, tells its subscribers only when the job
 * changed, ends their streams after a terminal status, and stops when the last subscriber leaves.
 * A failed poll is passed on as an error event; the stream goes on and the next poll may succeed.
 *
 * Polls share the upstream pool with queries, so at most `maxConcurrentPolls` run at once and the
 * rest wait their turn in arrival order: 500 new watchers queue here instead of overflowing the
 * pool's queue. A poll the gateway itself refused for load is never a subscriber's error: it is
 * tried again a moment later.
 */
import { Repeater } from '@repeaterjs/repeater';
import pLimit, { type LimitFunction } from 'p-limit';
import { GatewayError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { LlamaCloudClient } from '../upstream/client.js';
import { TERMINAL_STATUSES, type BatchJobModel } from '../upstream/wire.js';

export type JobEvent = { job: BatchJobModel } | { error: GatewayError };

interface Listener {
  push(event: JobEvent): void;
  end(): void;
}

export interface LiveJobsOptions {
  intervalMs: number;
  /** Budget of one poll, retries included. */
  pollDeadlineMs: number;
  /** Most polls in flight at once, across all watched jobs. */
  maxConcurrentPolls: number;
  logger: Logger;
}

/** How soon a poll refused for load is tried again, at most (jittered, so they do not return together). */
const OVERLOAD_RETRY_MS = 250;

export class LiveJobs {
  readonly #pollers = new Map<string, Poller>();
  readonly #limit: LimitFunction;

  constructor(
    private readonly client: LlamaCloudClient,
    private readonly options: LiveJobsOptions,
  ) {
    this.#limit = pLimit(options.maxConcurrentPolls);
  }

  /** The job's events from now on, starting with its current state. Ends after a terminal status. */
  watch(id: string): AsyncIterableIterator<JobEvent> {
    return new Repeater<JobEvent>(async (push, stop) => {
      let poller = this.#pollers.get(id);
      if (!poller) {
        poller = new Poller(id, this.client, this.options, this.#limit, () => this.#pollers.delete(id));
        this.#pollers.set(id, poller);
      }
      const listener: Listener = { push: (event) => void push(event), end: () => stop() };
      poller.add(listener);
      await stop;
      poller.remove(listener);
    });
  }

  /** Job ids being polled now (for tests and metrics). */
  get watched(): string[] {
    return [...this.#pollers.keys()];
  }

  /** Ends every stream and stops every poller (shutdown). */
  close(): void {
    for (const poller of [...this.#pollers.values()]) poller.endAll();
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
    private readonly onIdle: () => void,
  ) {}

  add(listener: Listener): void {
    this.#listeners.add(listener);
    // A late subscriber starts from the state the others already have.
    if (this.#last) listener.push(this.#last.event);
    if (!this.#running && this.#timer === null) void this.#poll();
  }

  remove(listener: Listener): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.#stop();
  }

  endAll(): void {
    for (const listener of [...this.#listeners]) listener.end();
    this.#stop();
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.onIdle();
  }

  async #poll(): Promise<void> {
    this.#timer = null;
    this.#running = true;
    let event: JobEvent;
    let terminal = false;
    try {
      // The deadline starts when the poll's turn comes, not while it waits for one.
      const answer = await this.limit(() =>
        this.#stopped ? null : this.client.getBatchJob(this.id, { deadline: Date.now() + this.options.pollDeadlineMs }),
      );
      if (this.#stopped) return;
      if (answer === null) {
        event = {
          error: new GatewayError('UPSTREAM_REJECTED', `LlamaCloud knows no batch job ${JSON.stringify(this.id)}.`, {
            upstreamStatus: 404,
          }),
        };
        terminal = true;
      } else {
        event = { job: answer };
        terminal = TERMINAL_STATUSES.has(answer.status);
      }
    } catch (error) {
      if (error instanceof GatewayError && error.overloaded === true) {
        this.#running = false;
        if (!this.#stopped) this.#timer = setTimeout(() => void this.#poll(), Math.random() * OVERLOAD_RETRY_MS);
        return;
      }
      const gatewayError =
        error instanceof GatewayError ? error : new GatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.');
      if (!(error instanceof GatewayError))
        this.options.logger.error({ err: error, jobId: this.id }, 'live poll failed');
      event = { error: gatewayError };
    }
    this.#running = false;
    if (this.#stopped) return;
    const fingerprint = 'job' in event ? JSON.stringify(event.job) : `error:${event.error.code}`;
    if (fingerprint !== this.#last?.fingerprint) {
      this.#last = { fingerprint, event };
      for (const listener of this.#listeners) listener.push(event);
    }
    if (terminal) {
      this.endAll();
      return;
    }
    this.#timer = setTimeout(() => void this.#poll(), this.options.intervalMs);
  }
}
