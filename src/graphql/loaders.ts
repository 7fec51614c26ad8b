/**
 * Per-request DataLoaders. Built fresh for every GraphQL request, so nothing one request loads is
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
  batchJobList: DataLoader<ListBatchJobsParams, BatchJobListWire, string>;
  /** The same for batch API v2's token pages. */
  batchList: DataLoader<ListBatchesParams, BatchPageWire, string>;
  /** Jobs by id: null for an unknown id; an Error for that id alone when its call failed. */
  batchJob: DataLoader<string, BatchJobModel | null>;
  /** Pages of a job's items; one upstream call per distinct job and parameters. */
  batchJobItems: DataLoader<ItemsKey, BatchJobItemListWire, string>;
}

export interface ItemsKey extends ListBatchJobItemsParams {
  jobId: string;
}

export interface LoaderOptions {
  /** Most by-id upstream calls one request runs at once. */
  maxConcurrency: number;
}

export function createLoaders(client: LlamaCloudClient, callOptions: CallOptions, options: LoaderOptions): Loaders {
  // Jobs seen in this request's lists, and the list calls still in flight: a by-id lookup in the
  // same request waits for those and reuses what they returned instead of fetching the job again.
  const listed = new Map<string, BatchJobModel>();
  const listsInFlight = new Set<Promise<unknown>>();
  // Made on first use: most requests never look a job up by id.
  let limiter: LimitFunction | undefined;
  const limit = <T>(fn: () => Promise<T>): Promise<T> => (limiter ??= pLimit(options.maxConcurrency))(fn);

  const batchJobList = () =>
    new DataLoader<ListBatchJobsParams, BatchJobListWire, string>(
      // The list endpoint takes one parameter set per call, so a batch is parallel calls; a failed
      // call becomes that key's Error and the other keys still resolve.
      (keys) => {
        const batch = Promise.all(
          keys.map((params) =>
            client.listBatchJobs(params, callOptions).then((page) => {
              for (const job of page.items) listed.set(job.id, job);
              return page;
            }, toError),
          ),
        );
        listsInFlight.add(batch);
        void batch.finally(() => listsInFlight.delete(batch));
        return batch;
      },
      { cacheKeyFn: (params) => listBatchJobsQuery(params).toString() },
    );

  // v2 lists carry no results, which is what a v2 job is read by id for: only v1 reuses them.
  const reuseListed = client.generation === 'v1';
  const batchList = () =>
    new DataLoader<ListBatchesParams, BatchPageWire, string>(
      (keys) => Promise.all(keys.map((params) => client.listBatches(params, callOptions).catch(toError))),
      { cacheKeyFn: (params) => listBatchesQuery(params).toString() },
    );

  const batchJob = () =>
    new DataLoader<string, BatchJobModel | null>(
      async (ids) => {
        if (reuseListed && listsInFlight.size > 0) await Promise.allSettled([...listsInFlight]);
        return Promise.all(
          ids.map((id) => {
            const known = reuseListed ? listed.get(id) : undefined;
            if (known) return Promise.resolve(known);
            return limit(() => client.getBatchJob(id, callOptions)).catch(toError);
          }),
        );
      },
      // Dispatch a macrotask later than the list loader (which dispatches after the current promise
      // jobs), so a list started by a sibling field is already in flight when this batch looks.
      { batchScheduleFn: (callback) => setImmediate(callback) },
    );

  const batchJobItems = () =>
    new DataLoader<ItemsKey, BatchJobItemListWire, string>(
      (keys) =>
        Promise.all(
          keys.map(({ jobId, ...params }) => client.listBatchJobItems(jobId, params, callOptions).catch(toError)),
        ),
      { cacheKeyFn: ({ jobId, status, limit: size, offset }) => JSON.stringify([jobId, status, size, offset]) },
    );

  // Each made on first use: a request needs one or two of them.
  const made: Partial<Loaders> = {};
  return {
    get batchJobList() {
      return (made.batchJobList ??= batchJobList());
    },
    get batchList() {
      return (made.batchList ??= batchList());
    },
    get batchJob() {
      return (made.batchJob ??= batchJob());
    },
    get batchJobItems() {
      return (made.batchJobItems ??= batchJobItems());
    },
  };
}
