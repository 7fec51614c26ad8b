/**
 * BatchJob: the upstream's snake_case job presented in camelCase. Optional fields were already
 * turned into null when the body was validated, so these are plain reads.
 */
import type {
  BatchJobResolvers,
  BatchJobStatusResolvers,
  BatchJobTypeResolvers,
} from '../generated/resolvers-types.js';
import { BatchJobStatusWire, BatchJobTypeWire, type BatchJobModel } from '../upstream/wire.js';

export const BatchJob: BatchJobResolvers = {
  // Entity references from other subgraphs: one upstream call per distinct id per request.
  __resolveReference: (reference, { loaders }) => loaders.batchJob.load(reference.id),
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
  progressPercentage: (job) => job.progress_percentage ?? computedProgress(job),
};

/** Progress of a job from the list endpoint, which sends no percentage: processed / total. */
export function computedProgress(job: BatchJobModel): number {
  if (job.total_items <= 0) return 0;
  const percent = ((job.processed_items ?? 0) / job.total_items) * 100;
  return Math.min(100, Math.max(0, Math.round(percent * 100) / 100));
}

// GraphQL enum values carry the upstream's lowercase wire values, in and out.
export const BatchJobType: BatchJobTypeResolvers = BatchJobTypeWire;
export const BatchJobStatus: BatchJobStatusResolvers = BatchJobStatusWire;
