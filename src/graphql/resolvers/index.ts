import type { Resolvers } from '../../generated/resolvers-types.js';
import type { BatchApi } from '../../config/config.js';
import { BatchJob, BatchJobStatus, BatchJobType, BatchJobV2 } from './batch-job.js';
import { batchApiGeneration, batchJob, batchJobs } from './batch-jobs.js';
import { BatchJobItemStatus, items } from './batch-job-items.js';
import { batchJobUpdated } from './batch-job-updated.js';
import { cancelBatchJob } from './cancel-batch-job.js';
import { createBatchJob } from './create-batch-job.js';
import { DateTime } from './date-time.js';

export const resolvers: Resolvers = {
  Query: { batchJobs, batchJob, batchApiGeneration },
  Mutation: { cancelBatchJob, createBatchJob },
  Subscription: { batchJobUpdated },
  BatchJob: { ...BatchJob, items },
  BatchJobItemStatus,
  BatchJobType,
  BatchJobStatus,
  DateTime,
};

/** The resolvers for one generation of LlamaCloud's batch API (v1's are the plain map above). */
export function resolversFor(generation: BatchApi): Resolvers {
  if (generation === 'v1') return resolvers;
  return { ...resolvers, BatchJob: { ...resolvers.BatchJob, ...BatchJobV2 } };
}
