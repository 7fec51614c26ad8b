/**
 * LlamaCloud's batch API v2 in the fake upstream: wire batches, and a responder that serves a
 * list of them as v2 does (page tokens, `expand=results`, asynchronous cancel), for the v2 tests.
 */
import type { RecordedRequest, Responder } from './fake-upstream.js';
import { sendJson } from './fake-upstream.js';

/** A complete v2 batch with every optional field set; override what a test needs. */
export function wireBatch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'bat-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    config: { job: { configuration_id: 'cfg-PARSE_AGENTIC', type: 'parse_v2' } },
    project_id: 'proj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    source_directory_id: 'dir-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    status: 'RUNNING',
    created_at: '2026-11-27T18:11:19.117Z',
    updated_at: '2026-11-27T18:12:19.117000+00:00',
    ...overrides,
  };
}

/** `count` distinct batches starting at absolute position `from`. */
export function wireBatches(count: number, from = 0): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => wireBatch({ id: `bat-${String(from + i).padStart(4, '0')}` }));
}

/** `count` per-file results: the first has no job (a mapping error), the others a parse job. */
export function wireResults(count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) =>
    i === 0
      ? { source_directory_file_id: 'dfl-0000', job_reference: null, error_message: 'Unsupported file type: .exe' }
      : {
          source_directory_file_id: `dfl-${String(i).padStart(4, '0')}`,
          job_reference: { id: `pjb-${i}`, type: 'parse' },
        },
  );
}

/**
 * v2 over `batches`: `GET /api/v2/batches` pages by `page_size` (default 50) and `page_token`
 * (`tok-<start>`, left out on the last page, no total), `GET /api/v2/batches/{id}` answers with
 * the batch's `results` when `expand=results` asks (each batch's own, null included, else three), and
 * `POST …/cancel` answers the batch unchanged, as an asynchronous cancel does.
 */
export function batchesResponder(batches: Array<Record<string, unknown>>): Responder {
  const answer = (req: RecordedRequest): [number, unknown] => {
    if (req.method === 'GET' && req.path === '/api/v2/batches') {
      const size = Number(req.query.page_size ?? 50);
      const start = req.query.page_token ? Number(/^tok-(\d+)$/.exec(req.query.page_token)?.[1] ?? NaN) : 0;
      if (Number.isNaN(start)) return [400, { detail: 'Invalid page token' }];
      const items = batches.slice(start, start + size).map(withoutResults);
      return [200, start + size < batches.length ? { items, next_page_token: `tok-${start + size}` } : { items }];
    }
    const match = /^\/api\/v2\/batches\/([^/]+)(\/cancel)?$/.exec(req.path);
    const batch = batches.find((b) => b.id === decodeURIComponent(match?.[1] ?? ''));
    if (!match || !batch) return [404, { detail: 'Batch not found' }];
    if (req.method === 'GET' && !match[2]) {
      const expanded = { ...withoutResults(batch), results: 'results' in batch ? batch.results : wireResults(3) };
      return [200, req.query.expand === 'results' ? expanded : withoutResults(batch)];
    }
    if (req.method === 'POST' && match[2]) return [200, withoutResults(batch)];
    return [405, { detail: 'Method Not Allowed' }];
  };
  return (req, res) => {
    const [status, body] = answer(req);
    sendJson(res, status, body);
  };
}

function withoutResults(batch: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...batch };
  delete copy.results;
  return copy;
}
