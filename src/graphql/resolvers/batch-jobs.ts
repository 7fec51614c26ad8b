/**
 * Query.batchJobs: validates the arguments, then asks the per-request list loader (so aliases
 * asking for the same page share one upstream call) and presents the page as a connection.
 */
import type { GatewayContext } from '../context.js';
import { badUserInput, GatewayError } from '../../errors.js';
import type { BatchJobFilter, QueryBatchJobsArgs, QueryResolvers } from '../../generated/resolvers-types.js';
import { connectionOf } from '../pagination.js';
import type { ListBatchJobsParams } from '../../upstream/params.js';
import { checkJobId, checkLimit, checkOffset, knownFilterValue, offsetAfter } from './arguments.js';

export const batchJobs: NonNullable<QueryResolvers['batchJobs']> = async (_parent, args, { loaders, tenant }) => {
  const limit = checkLimit(args.limit);
  const offset = pageStart(args);
  const filter = filterParams(args.filter);
  checkTenant(filter, tenant);
  const params: ListBatchJobsParams = { ...filter, limit, offset };
  const page = await loaders.batchJobList.load(params);
  return connectionOf(page, offset, limit);
};

export const batchJob: NonNullable<QueryResolvers['batchJob']> = (_parent, { id }, { loaders }) => {
  return loaders.batchJob.load(checkJobId(id));
};

/**
 * Where the page starts: after the `after` cursor, or at `offset`. Clients that always send
 * `offset` send 0 (its default) with a cursor: that is no conflict, only an offset above 0 is.
 */
function pageStart(args: QueryBatchJobsArgs): number {
  if (args.after === undefined || args.after === null) return checkOffset(args.offset);
  if (typeof args.offset === 'number' && args.offset !== 0) {
    throw new GatewayError(
      'BAD_USER_INPUT',
      `Give either "after" (a cursor) or an "offset" other than 0, not both (got offset ${args.offset}).`,
      { argument: 'after' },
    );
  }
  return offsetAfter(args.after);
}

/** A gateway pinned to a project or organization serves no other: no upstream call is made. */
export function checkTenant(filter: ListBatchJobsParams, tenant: GatewayContext['tenant']): void {
  const pins = [
    ['projectId', filter.projectId, tenant.projectId],
    ['organizationId', filter.organizationId, tenant.organizationId],
  ] as const;
  for (const [name, given, pinned] of pins) {
    if (pinned !== null && given !== undefined && given !== pinned) {
      throw new GatewayError(
        'FORBIDDEN',
        `This gateway serves one ${name === 'projectId' ? 'project' : 'organization'} only; filter.${name} ${JSON.stringify(given)} is not it. Leave filter.${name} out.`,
      );
    }
  }
}

/** Filter fields as upstream parameters; fields not given (or null) are left out. */
export function filterParams(filter: BatchJobFilter | null | undefined): ListBatchJobsParams {
  const params: ListBatchJobsParams = {};
  if (!filter) return params;
  const ids = { directoryId: filter.directoryId, projectId: filter.projectId, organizationId: filter.organizationId };
  for (const [name, value] of Object.entries(ids) as Array<[keyof typeof ids, string | null | undefined]>) {
    if (value === null || value === undefined) continue;
    if (value.trim() === '') throw badUserInput(`filter.${name}`, value, 'give a non-empty id, or leave the field out');
    params[name] = value;
  }
  if (filter.jobType) params.jobType = knownFilterValue('filter.jobType', filter.jobType);
  if (filter.status) params.status = knownFilterValue('filter.status', filter.status);
  return params;
}
