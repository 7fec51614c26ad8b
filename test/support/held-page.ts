/**
 * The page query the sharing tests send many times at once, an upstream that holds its answers
 * until the test lets them go, and what the page of two looks like then.
 */
import { gate, sendJson, wireJob, wireJobs, type FakeUpstream } from './fake-upstream.js';

export const PAGE = 'query Page($limit: Int) { batchJobs(limit: $limit) { totalCount nodes { id status } } }';

/** PAGE with `{ limit: 2 }`, answered by `heldUpstream`. */
export const PAGE_OF_TWO = {
  data: {
    batchJobs: {
      totalCount: 40,
      nodes: [
        { id: 'bjb-0000', status: 'RUNNING' },
        { id: 'bjb-0001', status: 'RUNNING' },
      ],
    },
  },
};

/**
 * Holds every upstream answer until `held.open()`: lists answer a page of `limit` jobs out of 40,
 * a cancel of bjb-1 succeeds, and bjb-1 reads as cancelled.
 */
export function heldUpstream(upstream: FakeUpstream) {
  const held = gate();
  upstream.respond(async (req, res) => {
    await held.opened;
    if (req.method === 'POST') {
      sendJson(res, 200, { job_id: 'bjb-1', message: 'Job cancelled', processed_items: 0, status: 'cancelled' });
    } else if (req.path.endsWith('/bjb-1')) {
      sendJson(res, 200, { job: wireJob({ id: 'bjb-1', status: 'cancelled' }), progress_percentage: 0 });
    } else {
      sendJson(res, 200, { items: wireJobs(Number(req.query.limit)), total_size: 40 });
    }
  });
  return held;
}
