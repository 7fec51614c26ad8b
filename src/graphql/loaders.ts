/**
 * Per-request loaders. Built fresh for every GraphQL request, so nothing one request loads is
 * ever served to another (their callers may be different users).
 */
import DataLoader from 'dataloader';
import pLimit, { type LimitFunction } from 'p-limit';
import { toError } from '../errors.js';
import type { CallOptions, LlamaCloudClient } from '../upstream/client.js';
import {
  listBatchesQuery,
  listBatchJobsQuery,
  type ListBatchesParams,
  type ListBatchJobItemsParams,
  type ListBatchJobsParams,
} from '../upstream/params.js';
import type { BatchPageWire } from '../upstream/wire-v2.js';
import type { BatchJobItemListWire, BatchJobListWire, BatchJobModel } from '../upstream/wire.js';

export interface Loaders {
  /** One upstream list call per distinct parameter set within a request (aliases share it). */
  batchJobList: OncePerKey<ListBatchJobsParams, BatchJobListWire>;
  /** The same for batch API v2's token pages. */
  batchList: OncePerKey<ListBatchesParams, BatchPageWire>;
  /** Jobs by id: null for an unknown id; an Error for that id alone when its call failed. */
  batchJob: DataLoader<string, BatchJobModel | null>;
  /** Pages of a job's items; one upstream call per distinct job and parameters. */
  batchJobItems: OncePerKey<ItemsKey, BatchJobItemListWire>;
}

/**
 * One call per distinct key within a request; every caller asking that key gets the one call's
 * promise. For pages this is all a DataLoader did: the list endpoints take one parameter set per
 * call, so its batch was parallel single calls. A DataLoader paid for that with a scheduled batch
 * and half a dozen promises per page request (its load, the batch's schedule and dispatch, the
 * batch's Promise.all and what watched it); this pays one map entry. Jobs by id keep their
 * DataLoader, whose batch does share work (a bounded fan-out, and reuse of listed jobs).
 */
export class OncePerKey<K, V> {
  readonly #calls = new Map<string, Promise<V>>();
  readonly #keyOf: (key: K) => string;
  readonly #call: (key: K) => Promise<V>;

  constructor(keyOf: (key: K) => string, call: (key: K) => Promise<V>) {
    this.#keyOf = keyOf;
    this.#call = call;
  }

  /** The call for `key`, started now unless this request already started it. */
  load(key: K): Promise<V> {
    const id = this.#keyOf(key);
    let call = this.#calls.get(id);
    if (call === undefined) {
      call = this.#call(key);
      this.#calls.set(id, call);
    }
    return call;
  }
}

export interface ItemsKey extends ListBatchJobItemsParams {
  jobId: string;
}

export interface LoaderOptions {
  /** Most by-id upstream calls one request runs at once. */
  maxConcurrency: number;
}

export function createLoaders(client: LlamaCloudClient, callOptions: CallOptions, options: LoaderOptions): Loaders {
  return new RequestLoaders(client, callOptions, options);
}

/**
 * Each loader is made on first use: a request needs one or two of them. A class (getters on its
 * prototype) rather than an object literal with getters: V8 makes the getter pair of each such
 * literal in the old generation, so everything its getters close over (this request's context, its
 * loaders and the pages they load) survives young-generation collections until a full one. Made
 * per request, that literal was why V8 promoted most of every page request to the old generation
 * (`--trace-gc-nvp`, bench/README.md).
 */
class RequestLoaders implements Loaders {
  readonly #client: LlamaCloudClient;
  readonly #callOptions: CallOptions;
  readonly #maxConcurrency: number;
  // v2 lists carry no results, which is what a v2 job is read by id for: only v1 reuses them.
  readonly #reuseListed: boolean;
  // Pages this request's lists returned, and the list calls still in flight: a by-id lookup in the
  // same request waits for those and reuses the jobs they returned instead of fetching them again.
  // Pages are indexed by job id only when a by-id lookup comes: most requests never make one, and
  // indexing every listed job was a Map entry per job on each page request.
  readonly #listedPages: BatchJobListWire[] = [];
  #listed: Map<string, BatchJobModel> | undefined;
  #indexedPages = 0;
  readonly #listsInFlight = new Set<Promise<unknown>>();
  // Made on first use: most requests never look a job up by id.
  #limiter: LimitFunction | undefined;
  #batchJobList: Loaders['batchJobList'] | undefined;
  #batchList: Loaders['batchList'] | undefined;
  #batchJob: Loaders['batchJob'] | undefined;
  #batchJobItems: Loaders['batchJobItems'] | undefined;

  constructor(client: LlamaCloudClient, callOptions: CallOptions, options: LoaderOptions) {
    this.#client = client;
    this.#callOptions = callOptions;
    this.#maxConcurrency = options.maxConcurrency;
    this.#reuseListed = client.generation === 'v1';
  }

  get batchJobList(): Loaders['batchJobList'] {
    return (this.#batchJobList ??= new OncePerKey(
      (params) => listBatchJobsQuery(params).toString(),
      (params) => {
        // Kept in flight until it settles, so a by-id lookup can wait for it (one reaction does
        // both: the page noted for reuse, the call no longer in flight).
        const call: Promise<BatchJobListWire> = this.#client.listBatchJobs(params, this.#callOptions).then(
          (page) => {
            this.#listsInFlight.delete(call);
            this.#listedPages.push(page);
            return page;
          },
          (error: unknown) => {
            this.#listsInFlight.delete(call);
            throw toError(error);
          },
        );
        this.#listsInFlight.add(call);
        return call;
      },
    ));
  }

  get batchList(): Loaders['batchList'] {
    return (this.#batchList ??= new OncePerKey(
      (params) => listBatchesQuery(params).toString(),
      (params) => this.#client.listBatches(params, this.#callOptions),
    ));
  }

  get batchJob(): Loaders['batchJob'] {
    return (this.#batchJob ??= new DataLoader<string, BatchJobModel | null>(
      async (ids) => {
        if (this.#reuseListed && this.#listsInFlight.size > 0) await Promise.allSettled([...this.#listsInFlight]);
        return Promise.all(
          ids.map((id) => {
            const known = this.#reuseListed ? this.#listedJob(id) : undefined;
            if (known) return Promise.resolve(known);
            return this.#limit(() => this.#client.getBatchJob(id, this.#callOptions)).catch(toError);
          }),
        );
      },
      // Dispatch a macrotask later: a list started by a sibling field (its call starts as the field
      // resolves) is then already in flight when this batch looks.
      { batchScheduleFn: (callback) => setImmediate(callback) },
    ));
  }

  get batchJobItems(): Loaders['batchJobItems'] {
    return (this.#batchJobItems ??= new OncePerKey(
      ({ jobId, status, limit: size, offset }) => JSON.stringify([jobId, status, size, offset]),
      ({ jobId, ...params }) => this.#client.listBatchJobItems(jobId, params, this.#callOptions),
    ));
  }

  /** A job this request's lists returned, indexing the pages that came since the last lookup. */
  #listedJob(id: string): BatchJobModel | undefined {
    if (this.#listedPages.length === 0) return undefined;
    const listed = (this.#listed ??= new Map<string, BatchJobModel>());
    for (; this.#indexedPages < this.#listedPages.length; this.#indexedPages += 1) {
      for (const job of this.#listedPages[this.#indexedPages]?.items ?? []) listed.set(job.id, job);
    }
    return listed.get(id);
  }

  #limit<T>(fn: () => Promise<T>): Promise<T> {
    return (this.#limiter ??= pLimit(this.#maxConcurrency))(fn);
  }
}
