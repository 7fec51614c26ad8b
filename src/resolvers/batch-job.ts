/**
 * BatchJob: the upstream's snake_case job presented in camelCase. Optional fields were already
 * turned into null when the body was validated, so these are plain reads.
 */
import type {
  BatchJobResolvers,
  BatchJobStatusResolvers,
  BatchJobTypeResolvers,
} from '../generated/resolvers-types.js';
import { BatchJobStatusWire, BatchJobTypeWire } from '../upstream/wire.js';

export const BatchJob: BatchJobResolvers = {
  id: (job) => job.id,
  jobType: (job) => job.job_type,
  projectId: (job) => job.project_id,
  status: (job) => job.status,
  totalItems: (job) => job.total_items,
  processedItems: (job) => job.processed_items,
  failedItems: (job) => job.failed_items,
  skippedItems: (job) => job.skipped_items,
  directoryId: (job) => job.directory_id,
  errorMessage: (job) => job.error_message,
  jobRecordId: (job) => job.job_record_id,
  workflowId: (job) => job.workflow_id,
  createdAt: (job) => job.created_at,
  updatedAt: (job) => job.updated_at,
  startedAt: (job) => job.started_at,
  completedAt: (job) => job.completed_at,
  effectiveAt: (job) => job.effective_at,
};

// GraphQL enum values carry the upstream's lowercase wire values, in and out.
export const BatchJobType: BatchJobTypeResolvers = BatchJobTypeWire;
export const BatchJobStatus: BatchJobStatusResolvers = BatchJobStatusWire;
