import { describe, expect, it } from 'vitest';
import { advanceDemoJobs, generateDemoJobs } from '../src/demo/jobs.js';

describe('the demo upstream keeps living', () => {
  it('always has a job running over an hour, with new jobs passing through pending, dispatched and running to an end', () => {
    const start = Date.parse('2026-12-01T08:00:00Z');
    const jobs = generateDemoJobs(300, start);
    const seen = new Map<string, string[]>();
    let leastRunning = Number.POSITIVE_INFINITY;
    // One request every 5 s for an hour, as a dashboard refreshing itself makes.
    for (let t = 0; t <= 3_600_000; t += 5_000) {
      advanceDemoJobs(jobs, start + t, 300);
      if (t >= 120_000) leastRunning = Math.min(leastRunning, jobs.filter((job) => job.status === 'running').length);
      for (const job of jobs) {
        const history = seen.get(job.id) ?? [];
        if (history.at(-1) !== job.status) history.push(job.status);
        seen.set(job.id, history);
      }
    }

    // After the first couple of minutes (when the seeded history's running jobs finish), never still.
    expect(leastRunning).toBeGreaterThanOrEqual(1);
    const arrivals = [...seen.values()].filter((history) => history[0] === 'pending' && history.length > 1);
    expect(arrivals.length).toBeGreaterThan(60);
    expect(arrivals.some((h) => h.join(' ') === 'pending dispatched running completed')).toBe(true);
    expect(arrivals.some((h) => h.join(' ') === 'pending dispatched running failed')).toBe(true);
    expect(arrivals.some((h) => h.join(' ') === 'pending dispatched running cancelled')).toBe(true);
    // The list stays bounded, newest first.
    expect(jobs.length).toBeLessThanOrEqual(500);
    expect(Date.parse(jobs[0]?.created_at ?? '')).toBeGreaterThan(start + 3_500_000);
  });
});

describe('the demo upstream takes new jobs', () => {
  it('creates a pending job through createBatchJob, first in the list', async () => {
    const { startDemoUpstream } = await import('../src/demo/upstream.js');
    const { startGateway } = await import('./support/gateway.js');
    const demo = await startDemoUpstream();
    try {
      await using gateway = await startGateway({ upstreamUrl: demo.url, env: { LLAMA_CLOUD_API_KEY: demo.apiKey } });
      const created = await gateway.query(
        'mutation { createBatchJob(input: { jobType: CLASSIFY, itemIds: ["itm-1", "itm-2"] }) { id status jobType totalItems } }',
      );
      const id = (created.body as { data: { createBatchJob: { id: string } } }).data.createBatchJob.id;
      expect(created.body).toEqual({
        data: { createBatchJob: { id, status: 'PENDING', jobType: 'CLASSIFY', totalItems: 2 } },
      });
      const listed = await gateway.query('{ batchJobs(limit: 1) { nodes { id } } }');
      expect(listed.body).toEqual({ data: { batchJobs: { nodes: [{ id }] } } });
    } finally {
      await demo.close();
    }
  });
});

describe('the demo upstream sends signed webhooks', () => {
  it('POSTs a signed batch event when a job changes status, as LlamaCloud does', async () => {
    const { createServer } = await import('node:http');
    const { createHmac } = await import('node:crypto');
    const { startDemoUpstream } = await import('../src/demo/upstream.js');
    const received: Array<{ body: string; signature: string | undefined }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: req.headers['lc-signature'] as string,
        });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const demo = await startDemoUpstream();
    try {
      const { port } = receiver.address() as { port: number };
      demo.sendWebhooks(new URL(`http://127.0.0.1:${port}/webhooks/llamacloud`), 'demo-secret');
      const running = demo.jobs.find((job) => job.status === 'running');
      const cancelled = await fetch(new URL(`/api/v1/beta/batch-processing/${running?.id ?? ''}/cancel`, demo.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(cancelled.status).toBe(200);
      for (let i = 0; i < 40 && !received.some((r) => r.body.includes(running?.id ?? '?')); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const hook = received.find((r) => r.body.includes(running?.id ?? '?'));
      expect(JSON.parse(hook?.body ?? '{}')).toEqual({
        event: 'batch.cancelled',
        batch_id: running?.id,
        status: 'CANCELLED',
      });
      expect(hook?.signature).toBe(
        `sha256=${createHmac('sha256', 'demo-secret')
          .update(hook?.body ?? '')
          .digest('hex')}`,
      );
    } finally {
      await demo.close();
      receiver.close();
    }
  });
});
