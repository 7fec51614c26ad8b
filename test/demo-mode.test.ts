import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJobs } from './support/fake-upstream.js';
import { TEST_API_KEY } from './support/gateway.js';
import { graphql, runMain } from './support/process.js';

describe('npm start (the real entry point)', () => {
  it('with no API key serves the embedded demo upstream, says so once, and answers queries', async () => {
    await using proc = runMain({});
    const demoLine = await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('DEMO MODE'));
    const ready = await proc.waitForLog((l) => l.msg === 'gateway listening');

    const res = await graphql(
      String(ready.url),
      `
        {
          all: batchJobs(limit: 3) {
            totalCount
            nodes {
              id
              jobType
              status
              totalItems
              createdAt
            }
          }
          failed: batchJobs(filter: { status: FAILED, jobType: EXTRACT }, limit: 1000) {
            nodes {
              status
              jobType
              errorMessage
            }
          }
        }
      `,
    );

    expect(demoLine.level).toBe(40);
    expect(res.status).toBe(200);
    const data = res.body.data as {
      all: { totalCount: number; nodes: Array<Record<string, unknown>> };
      failed: { nodes: Array<{ status: string; jobType: string; errorMessage: string | null }> };
    };
    expect(data.all.totalCount).toBe(300);
    expect(data.all.nodes).toHaveLength(3);
    expect(data.all.nodes[0]).toMatchObject({ id: expect.stringMatching(/^bjb-/), status: 'RUNNING' });
    expect(data.failed.nodes.length).toBeGreaterThan(0);
    for (const job of data.failed.nodes) {
      expect(job).toMatchObject({ status: 'FAILED', jobType: 'EXTRACT', errorMessage: expect.any(String) });
    }
    expect(proc.stdout.filter((l) => l.includes('DEMO MODE'))).toHaveLength(1);

    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('on SIGTERM finishes the request in flight, then exits 0 (upstream: held until after the signal)', async () => {
    await using upstream = await startFakeUpstream();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    upstream.respond(async (_req, res) => {
      arrived();
      await held;
      sendJson(res, 200, { items: wireJobs(2), total_size: 2 });
    });
    await using proc = runMain({ LLAMA_CLOUD_API_KEY: TEST_API_KEY, LLAMA_CLOUD_BASE_URL: upstream.url.href });
    const ready = await proc.waitForLog((l) => l.msg === 'gateway listening');

    const inFlight = graphql(String(ready.url), '{ batchJobs { totalCount } }');
    await requestArrived;
    proc.child.kill('SIGTERM');
    await proc.waitForLog((l) => l.msg === 'shutting down: finishing requests in flight');
    release();

    expect(await inFlight).toEqual({ status: 200, body: { data: { batchJobs: { totalCount: 2 } } } });
    expect(await proc.exit).toBe(0);
    expect(proc.stdout.join('\n')).not.toContain(TEST_API_KEY);
    // New connections are refused once the server has stopped.
    await expect(fetch(new URL('/health', String(ready.url)))).rejects.toThrow();
  });

  it('keeps answering while nobody reads its log, then writes every line out once stdout drains', async () => {
    await using proc = runMain({ RATE_LIMIT_PER_MINUTE: '0' });
    const ready = await proc.waitForLog((l) => l.msg === 'gateway listening');
    // Stop reading: the pipe and the reader's buffer hold about 100 KB, a few hundred request lines.
    proc.child.stdout?.pause();

    const answers: Array<{ status: number }> = [];
    for (let batch = 0; batch < 100; batch += 1) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => graphql(String(ready.url), '{ batchJobs(limit: 1) { totalCount } }')),
        )),
      );
    }
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1000);

    proc.child.stdout?.resume();
    await proc.waitForLog(() => proc.stdout.filter((line) => line.includes('"msg":"request"')).length === 1000);
  });
});
