/**
 * BatchJob.items: a job's items as a connection, through the per-request loader. BatchJobItem's
 * fields are the model's own properties (see upstream/wire.ts).
 */
import type { BatchJobItemStatusResolvers, BatchJobResolvers } from '../../generated/resolvers-types.js';
import { connectionOf } from '../pagination.js';
import { BatchJobItemStatusValue } from '../../upstream/wire.js';
import { GatewayError } from '../../errors.js';
import { checkLimit, checkOffset, knownFilterValue } from './arguments.js';

export const items: NonNullable<BatchJobResolvers['items']> = async (job, args, { loaders, upstream }) => {
  if (upstream.generation === 'v2') {
    throw new GatewayError(
      'BAD_USER_INPUT',
      "LlamaCloud's batch API v2 (which this gateway calls) has no items: select `results` instead (one per file, with the parse or extract job it became).",
      { argument: 'items' },
    );
  }
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
