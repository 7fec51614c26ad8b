/**
 * Query parameters of the list endpoints: camelCase in, snake_case out, in a fixed order so equal
 * parameters give equal strings (the coalescing and loader cache keys rely on it).
 */
import type { BatchJobItemStatusWire, BatchJobStatusWire, BatchJobTypeWire } from './wire.js';

/** Parameters of the list endpoint, camelCase, wire enum values. Absent means "not sent". */
export interface ListBatchJobsParams {
  directoryId?: string;
  jobType?: BatchJobTypeWire;
  status?: BatchJobStatusWire;
  projectId?: string;
  organizationId?: string;
  limit?: number;
  offset?: number;
}

const LIST_PARAMS: ReadonlyArray<readonly [keyof ListBatchJobsParams, string]> = [
  ['directoryId', 'directory_id'],
  ['jobType', 'job_type'],
  ['status', 'status'],
  ['projectId', 'project_id'],
  ['organizationId', 'organization_id'],
  ['limit', 'limit'],
  ['offset', 'offset'],
];

/** The parameters given, under their wire names, in the table's order. */
function queryOf<P extends object>(params: P, table: ReadonlyArray<readonly [keyof P, string]>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, wireName] of table) {
    const value = params[key];
    if (value !== undefined) query.set(wireName, String(value));
  }
  return query;
}

/** The query string for the list endpoint, in a fixed order so equal params give equal strings. */
export function listBatchJobsQuery(params: ListBatchJobsParams): URLSearchParams {
  return queryOf(params, LIST_PARAMS);
}

/** Parameters of the items endpoint. */
export interface ListBatchJobItemsParams {
  status?: BatchJobItemStatusWire;
  limit?: number;
  offset?: number;
}

/** The query string for the items endpoint. */
export function listBatchJobItemsQuery(params: ListBatchJobItemsParams): URLSearchParams {
  return queryOf(params, ITEM_PARAMS);
}

const ITEM_PARAMS = [
  ['status', 'status'],
  ['limit', 'limit'],
  ['offset', 'offset'],
] as const;

/** Parameters of v2's list (`GET /api/v2/batches`), camelCase; absent means "not sent". */
export interface ListBatchesParams {
  /** A v2 status as the wire spells it (UPPERCASE). */
  status?: string;
  directoryId?: string;
  createdAtOnOrAfter?: string;
  createdAtOnOrBefore?: string;
  projectId?: string;
  organizationId?: string;
  pageSize?: number;
  pageToken?: string;
}

const V2_LIST_PARAMS: ReadonlyArray<readonly [keyof ListBatchesParams, string]> = [
  ['status', 'status'],
  ['directoryId', 'source_directory_id'],
  ['createdAtOnOrAfter', 'created_at_on_or_after'],
  ['createdAtOnOrBefore', 'created_at_on_or_before'],
  ['projectId', 'project_id'],
  ['organizationId', 'organization_id'],
  ['pageSize', 'page_size'],
  ['pageToken', 'page_token'],
];

/** The query string for v2's list, in a fixed order like v1's. */
export function listBatchesQuery(params: ListBatchesParams): URLSearchParams {
  return queryOf(params, V2_LIST_PARAMS);
}
