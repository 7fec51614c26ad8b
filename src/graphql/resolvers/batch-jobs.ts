/**
 * Query.batchJobs: validates the arguments, then asks the per-request list loader (so aliases
 * asking for the same page share one upstream call) and presents the page as a connection. Under
 * batch API v2 the page is LlamaCloud's token page behind the same opaque cursors (`after`).
 */
import type { GatewayContext } from '../context.js';
import { badUserInput, GatewayError } from '../../errors.js';
import {
  BatchApiGeneration,
  type BatchJobFilter,
  type QueryBatchJobsArgs,
  type QueryResolvers,
} from '../../generated/resolvers-types.js';
import {
  connectionOf,
  decodeTokenCursor,
  tokenConnectionOf,
  tokenPageSize,
  type TokenPosition,
} from '../pagination.js';
import type { ListBatchesParams, ListBatchJobsParams } from '../../upstream/params.js';
import { V2_STATUSES } from '../../upstream/wire-v2.js';
import { THROTTLED } from '../../upstream/wire.js';
import { checkJobId, checkLimit, checkOffset, knownFilterValue, offsetAfter } from './arguments.js';

export const batchJobs: NonNullable<QueryResolvers['batchJobs']> = async (_parent, args, context) => {
  const { loaders, tenant, upstream } = context;
  const limit = checkLimit(args.limit);
  if (upstream.generation === 'v2') return batchesPage(args, limit, context);
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

export const batchApiGeneration: NonNullable<QueryResolvers['batchApiGeneration']> = (_parent, _args, { upstream }) =>
  upstream.generation === 'v2' ? BatchApiGeneration.V2 : BatchApiGeneration.V1;

/** Batch API v2: a token page behind cursors; offsets and the filters v2 lacks are refused. */
async function batchesPage(args: QueryBatchJobsArgs, limit: number, { loaders, tenant }: GatewayContext) {
  if (typeof args.offset === 'number' && args.offset !== 0) {
    throw badUserInput(
      'offset',
      args.offset,
      'LlamaCloud\'s batch API v2 pages by cursor only: pass pageInfo.endCursor of the page before as "after" instead',
    );
  }
  const position = args.after === undefined || args.after === null ? { token: null, skip: 0 } : tokenAfter(args.after);
  const filter = v2FilterParams(args.filter);
  checkTenant(filter, tenant);
  const params: ListBatchesParams = { ...filter, pageSize: tokenPageSize(position, limit) };
  if (position.token !== null) params.pageToken = position.token;
  const page = await loaders.batchList.load(params);
  return tokenConnectionOf(page, position, limit);
}

function tokenAfter(cursor: string): TokenPosition {
  const position = decodeTokenCursor(cursor);
  if (position === null) {
    throw badUserInput('after', cursor, "give a cursor from an earlier page (an edge's cursor or pageInfo.endCursor)");
  }
  return position;
}

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
export function checkTenant(
  filter: { projectId?: string; organizationId?: string },
  tenant: GatewayContext['tenant'],
): void {
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

/** The id fields of a filter, each non-empty when given. */
function idParams(filter: BatchJobFilter): Pick<ListBatchJobsParams, 'directoryId' | 'projectId' | 'organizationId'> {
  const params: Pick<ListBatchJobsParams, 'directoryId' | 'projectId' | 'organizationId'> = {};
  const ids = { directoryId: filter.directoryId, projectId: filter.projectId, organizationId: filter.organizationId };
  for (const [name, value] of Object.entries(ids) as Array<[keyof typeof ids, string | null | undefined]>) {
    if (value === null || value === undefined) continue;
    if (value.trim() === '') throw badUserInput(`filter.${name}`, value, 'give a non-empty id, or leave the field out');
    params[name] = value;
  }
  return params;
}

/** What only one generation can filter by: a clear error under the other, never a local filter. */
function onlyUnder(generation: 'v1' | 'v2', argument: string, value: unknown, instead: string): GatewayError {
  return badUserInput(
    argument,
    value,
    `LlamaCloud's batch API ${generation === 'v1' ? 'v2' : 'v1'} (which this gateway calls) cannot filter by it, and the gateway does not filter pages itself (that would break paging); ${instead}`,
  );
}

/** Filter fields as v1 upstream parameters; fields not given (or null) are left out. */
export function filterParams(filter: BatchJobFilter | null | undefined): ListBatchJobsParams {
  if (!filter) return {};
  const params: ListBatchJobsParams = idParams(filter);
  if (filter.jobType) params.jobType = knownFilterValue('filter.jobType', filter.jobType);
  if (filter.status) {
    const status = knownFilterValue('filter.status', filter.status);
    if (status === THROTTLED) throw onlyUnder('v2', 'filter.status', 'THROTTLED', 'leave it out (v1 never sends it)');
    params.status = status;
  }
  for (const name of ['createdAtOnOrAfter', 'createdAtOnOrBefore'] as const) {
    const value = filter[name];
    if (value !== null && value !== undefined) {
      throw onlyUnder('v2', `filter.${name}`, value, `leave filter.${name} out`);
    }
  }
  return params;
}

/** Filter fields as v2 upstream parameters. */
export function v2FilterParams(filter: BatchJobFilter | null | undefined): Omit<ListBatchesParams, 'pageSize'> {
  if (!filter) return {};
  const params: Omit<ListBatchesParams, 'pageSize'> = idParams(filter);
  if (filter.jobType) {
    throw onlyUnder('v1', 'filter.jobType', filter.jobType.toUpperCase(), 'leave filter.jobType out');
  }
  if (filter.status) {
    const status = knownFilterValue('filter.status', filter.status);
    if (!V2_STATUSES.has(status)) {
      throw onlyUnder(
        'v1',
        'filter.status',
        status.toUpperCase(),
        'v2 has no such status; give another or leave it out',
      );
    }
    params.status = status.toUpperCase();
  }
  const after = filter.createdAtOnOrAfter ?? undefined;
  const before = filter.createdAtOnOrBefore ?? undefined;
  if (after !== undefined && before !== undefined && Date.parse(after) > Date.parse(before)) {
    throw badUserInput('filter.createdAtOnOrAfter', after, `give a time no later than createdAtOnOrBefore (${before})`);
  }
  if (after !== undefined) params.createdAtOnOrAfter = after;
  if (before !== undefined) params.createdAtOnOrBefore = before;
  return params;
}
