/**
 * Live job updates for `batchJobUpdated`: one poller per job id, however many subscribers watch
 * it. A poller asks LlamaCloud every LIVE_POLL_INTERVAL_MS, tells its subscribers only when the job
 * changed, ends their streams after a terminal status, and stops when the last subscriber leaves.
 * A failed poll is passed on as an error event; the stream goes on and the next poll may succeed.
 */
import { Repeater } from '@repeaterjs/repeater';
import { GatewayError } from './errors.js';
import type { Logger } from './logger.js';
import type { LlamaCloudClient } from './upstream/client.js';
import { TERMINAL_STATUSES, type BatchJobModel } from './upstream/wire.js';

export type JobEvent = { job: BatchJobModel } | { error: GatewayError };

interface Listener {
  push(event: JobEvent): void;
  end(): void;
}

export interface LiveJobsOptions {
  intervalMs: number;
  /** Budget of one poll, retries included. */
  pollDeadlineMs: number;
  logger: Logger;
}

export class LiveJobs {
  readonly #pollers = new Map<string, Poller>();

  constructor(
    private readonly client: LlamaCloudClient,
    private readonly options: LiveJobsOptions,
  ) {}

  /** The job's events from now on, starting with its current state. Ends after a terminal status. */
  watch(id: string): AsyncIterableIterator<JobEvent> {
    return new Repeater<JobEvent>(async (push, stop) => {
      let poller = this.#pollers.get(id);
      if (!poller) {
        poller = new Poller(id, this.client, this.options, () => this.#pollers.delete(id));
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
      const answer = await this.client.getBatchJob(this.id, { deadline: Date.now() + this.options.pollDeadlineMs });
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
