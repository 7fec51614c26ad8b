import type { Resolvers } from '../../generated/resolvers-types.js';
import { BatchJob, BatchJobStatus, BatchJobType } from './batch-job.js';
import { batchJob, batchJobs } from './batch-jobs.js';
import { BatchJobItemStatus, items } from './batch-job-items.js';
import { batchJobUpdated } from './batch-job-updated.js';
import { cancelBatchJob } from './cancel-batch-job.js';
import { createBatchJob } from './create-batch-job.js';
import { DateTime } from './date-time.js';

export const resolvers: Resolvers = {
  Query: { batchJobs, batchJob },
  Mutation: { cancelBatchJob, createBatchJob },
  Subscription: { batchJobUpdated },
  BatchJob: { ...BatchJob, items },
  BatchJobItemStatus,
  BatchJobType,
  BatchJobStatus,
  DateTime,
};
