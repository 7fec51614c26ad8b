/**
 * LlamaCloud's routes, each with its path template: what calls are made to (`routePath`), and
 * what traces, metrics and dashboards group them by (the template, never a filled-in id).
 */
const V1_PREFIX = '/api/v1/beta/batch-processing';
const V2_PREFIX = '/api/v2/batches';

export const ROUTE_TEMPLATES = {
  listBatchJobs: V1_PREFIX,
  createBatchJob: V1_PREFIX,
  getBatchJob: `${V1_PREFIX}/{job_id}`,
  listBatchJobItems: `${V1_PREFIX}/{job_id}/items`,
  cancelBatchJob: `${V1_PREFIX}/{job_id}/cancel`,
  listBatches: V2_PREFIX,
  createBatch: V2_PREFIX,
  getBatch: `${V2_PREFIX}/{batch_id}`,
  cancelBatch: `${V2_PREFIX}/{batch_id}/cancel`,
} as const;

export type Route = keyof typeof ROUTE_TEMPLATES;

/** The path of `route`, its placeholder (if any) filled with `id`. */
export function routePath(route: Route, id = ''): string {
  return ROUTE_TEMPLATES[route].replace(/\{\w+\}/, () => encodeURIComponent(id));
}
