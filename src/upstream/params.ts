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

/** The query string for the list endpoint, in a fixed order so equal params give equal strings. */
export function listBatchJobsQuery(params: ListBatchJobsParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, wireName] of LIST_PARAMS) {
    const value = params[key];
    if (value !== undefined) query.set(wireName, String(value));
  }
  return query;
}

/** Parameters of the items endpoint. */
export interface ListBatchJobItemsParams {
  status?: BatchJobItemStatusWire;
  limit?: number;
  offset?: number;
}

/** The query string for the items endpoint. */
export function listBatchJobItemsQuery(params: ListBatchJobItemsParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of ['status', 'limit', 'offset'] as const) {
    const value = params[key];
    if (value !== undefined) query.set(key, String(value));
  }
  return query;
}
