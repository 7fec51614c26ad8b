import type { Resolvers } from '../generated/resolvers-types.js';
import { BatchJob, BatchJobStatus, BatchJobType } from './batch-job.js';
import { batchJob, batchJobs } from './batch-jobs.js';
import { DateTime } from './date-time.js';

export const resolvers: Resolvers = {
  Query: { batchJobs, batchJob },
  BatchJob,
  BatchJobType,
  BatchJobStatus,
  DateTime,
};
