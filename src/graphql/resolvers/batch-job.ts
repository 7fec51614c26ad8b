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

// GraphQL enum values carry the upstream's lowercase wire values, in and out (UNKNOWN: any other).
export const BatchJobType: BatchJobTypeResolvers = BatchJobTypeValue;
export const BatchJobStatus: BatchJobStatusResolvers = BatchJobStatusValue;
