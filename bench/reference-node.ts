/**
 * A reference side of `npm run bench`, never shipped: the floor of any Node gateway over this
 * endpoint. node:http, one undici pool, JSON.parse and JSON.stringify, no GraphQL: it answers only
 * the benchmark's page query (its `$offset` variable), with the same JSON the gateway sends.
 * Prints `{"port": N}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:1');
const pool = new Pool(upstream.origin, { connections: 32 });
type Wire = Record<string, unknown>;

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    void (async () => {
      const { variables } = JSON.parse(body) as { variables?: { offset?: number } };
      const offset = variables?.offset ?? 0;
      const limit = 20;
      const answer = await pool.request({
        method: 'GET',
        path: `${upstream.pathname.replace(/\/$/, '')}/api/v1/beta/batch-processing?limit=${limit}&offset=${offset}`,
      });
      const page = (await answer.body.json()) as { items: Wire[]; total_size: number };
      const end = offset + page.items.length;
      const text = JSON.stringify({
        data: {
          batchJobs: {
            totalCount: page.total_size,
            pageInfo: {
              hasNextPage: end < page.total_size,
              endCursor: Buffer.from(`offset:${end - 1}`).toString('base64url'),
            },
            nodes: page.items.map((w) => ({
              id: w.id,
              jobType: String(w.job_type).toUpperCase(),
              projectId: w.project_id,
              status: String(w.status).toUpperCase(),
              totalItems: w.total_items,
              processedItems: w.processed_items,
              failedItems: w.failed_items,
              skippedItems: w.skipped_items,
              directoryId: w.directory_id,
              errorMessage: w.error_message,
              jobRecordId: w.job_record_id,
              workflowId: w.workflow_id,
              createdAt: w.created_at,
              updatedAt: w.updated_at,
              startedAt: w.started_at,
              completedAt: w.completed_at,
              effectiveAt: w.effective_at,
            })),
          },
        },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`),
);
process.on('SIGTERM', () => process.exit(0));
