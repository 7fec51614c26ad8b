/**
 * Per-request DataLoaders. Built fresh for every GraphQL request, so nothing one request loads is
 * ever served to another (their callers may be different users).
 */
import DataLoader from 'dataloader';
import type { CallOptions, ListBatchJobsParams, LlamaCloudClient } from './upstream/client.js';
import { listBatchJobsQuery } from './upstream/client.js';
import type { BatchJobListWire } from './upstream/wire.js';

export interface Loaders {
  /** One upstream list call per distinct parameter set within a request (aliases share it). */
  batchJobList: DataLoader<ListBatchJobsParams, BatchJobListWire, string>;
}

export function createLoaders(client: LlamaCloudClient, callOptions: CallOptions): Loaders {
  return {
    batchJobList: new DataLoader(
      // The list endpoint takes one parameter set per call, so a batch is parallel calls; a failed
      // call becomes that key's Error and the other keys still resolve.
      (keys) =>
        Promise.all(keys.map((params) => client.listBatchJobs(params, callOptions).catch((e: unknown) => toError(e)))),
      { cacheKeyFn: (params) => listBatchJobsQuery(params).toString() },
    ),
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
