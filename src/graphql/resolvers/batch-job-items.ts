/**
 * BatchJob.items: a job's items as a connection, through the per-request loader. BatchJobItem's
 * fields are the model's own properties (see upstream/wire.ts).
 */
import type { BatchJobItemStatusResolvers, BatchJobResolvers } from '../../generated/resolvers-types.js';
import { connectionOf } from '../pagination.js';
import { BatchJobItemStatusValue } from '../../upstream/wire.js';
import { checkLimit, checkOffset, knownFilterValue } from './arguments.js';

export const items: NonNullable<BatchJobResolvers['items']> = async (job, args, { loaders }) => {
  const limit = checkLimit(args.limit);
  const offset = checkOffset(args.offset);
  const page = await loaders.batchJobItems.load({
    jobId: job.id,
    limit,
    offset,
    ...(args.status ? { status: knownFilterValue('status', args.status) } : {}),
  });
  return connectionOf(page, offset, limit);
};

export const BatchJobItemStatus: BatchJobItemStatusResolvers = BatchJobItemStatusValue;
