/**
 * BatchJob.items and BatchJobItem: a job's items as a connection, through the per-request loader.
 */
import type {
  BatchJobItemResolvers,
  BatchJobItemStatusResolvers,
  BatchJobResolvers,
} from '../generated/resolvers-types.js';
import { connectionOf } from '../pagination.js';
import { BatchJobItemStatusWire } from '../upstream/wire.js';
import { checkLimit, checkOffset } from './arguments.js';

export const items: NonNullable<BatchJobResolvers['items']> = async (job, args, { loaders }) => {
  const limit = checkLimit(args.limit);
  const offset = checkOffset(args.offset);
  const page = await loaders.batchJobItems.load({
    jobId: job.id,
    limit,
    offset,
    ...(args.status ? { status: args.status } : {}),
  });
  return connectionOf(page, offset, limit);
};

export const BatchJobItem: BatchJobItemResolvers = {
  id: (item) => item.item_id,
  name: (item) => item.item_name,
  status: (item) => item.status,
  errorMessage: (item) => item.error_message,
  skipReason: (item) => item.skip_reason,
  startedAt: (item) => item.started_at,
  completedAt: (item) => item.completed_at,
  effectiveAt: (item) => item.effective_at,
};

export const BatchJobItemStatus: BatchJobItemStatusResolvers = BatchJobItemStatusWire;
