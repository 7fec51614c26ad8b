/**
 * BatchJob: every scalar field is the model's own property (the wire job is renamed once, when
 * its body is validated), so only the entity reference needs a resolver here.
 */
import type {
  BatchJobResolvers,
  BatchJobStatusResolvers,
  BatchJobTypeResolvers,
} from '../../generated/resolvers-types.js';
import { BatchJobStatusValue, BatchJobTypeValue } from '../../upstream/wire.js';

export const BatchJob: BatchJobResolvers = {
  // Entity references from other subgraphs: one upstream call per distinct id per request.
  __resolveReference: (reference, { loaders }) => loaders.batchJob.load(reference.id),
};

/**
 * Batch API v2 only (v1 reads both as plain properties): a v2 job from a list carries no results,
 * which is where its file count comes from, so it is read by id once (the per-request loader, then
 * the shared upstream GET) when a query asks for either.
 */
export const BatchJobV2: BatchJobResolvers = {
  totalItems: async (job, _args, { loaders }) =>
    job.results !== undefined ? job.totalItems : ((await loaders.batchJob.load(job.id))?.totalItems ?? 0),
  results: async (job, _args, { loaders }) =>
    job.results !== undefined ? job.results : ((await loaders.batchJob.load(job.id))?.results ?? null),
};

// GraphQL enum values carry the upstream's lowercase wire values, in and out (UNKNOWN: any other).
export const BatchJobType: BatchJobTypeResolvers = BatchJobTypeValue;
export const BatchJobStatus: BatchJobStatusResolvers = BatchJobStatusValue;
