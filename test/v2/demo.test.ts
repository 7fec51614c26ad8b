/**
 * `LLAMA_CLOUD_BATCH_API=v2 npm start` with no key: the embedded demo upstream speaks v2, and the
 * whole push path (create, cancel, signed webhooks) runs on a newcomer's machine.
 */
import { describe, expect, it } from 'vitest';
import { graphql, startMain } from '../support/process.js';
import { subscribe } from '../support/sse.js';

describe('demo mode, batch API v2', () => {
  it('lists v2 batches by cursor, reads results, creates, and cancels with the change pushed by a webhook', async () => {
    await using proc = await startMain({ LLAMA_CLOUD_BATCH_API: 'v2' });

    const first = await graphql(
      proc.url,
      '{ batchApiGeneration batchJobs(limit: 5) { pageInfo { hasNextPage endCursor } nodes { id status rawJobType configurationId } } }',
    );
    const data = first.body.data as {
      batchApiGeneration: string;
      batchJobs: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<Record<string, unknown>> };
    };
    expect(data.batchApiGeneration).toBe('V2');
    expect(data.batchJobs.nodes).toHaveLength(5);
    for (const node of data.batchJobs.nodes) {
      expect(node).toMatchObject({
        id: expect.stringMatching(/^bat-/),
        rawJobType: expect.stringMatching(/^(parse|extract)_v2$/),
        configurationId: expect.stringMatching(/^cfg-/),
      });
    }
    const second = await graphql(
      proc.url,
      'query ($after: String) { batchJobs(limit: 5, after: $after) { nodes { id } } }',
      {
        after: data.batchJobs.pageInfo.endCursor,
      },
    );
    const secondIds = (second.body.data as { batchJobs: { nodes: Array<{ id: string }> } }).batchJobs.nodes.map(
      (n) => n.id,
    );
    expect(secondIds).toHaveLength(5);
    expect(secondIds.filter((id) => data.batchJobs.nodes.some((n) => n.id === id))).toEqual([]);

    const done = await graphql(
      proc.url,
      '{ batchJobs(limit: 1, filter: { status: COMPLETED }) { nodes { id totalItems results { sourceDirectoryFileId job { id type } } } } }',
    );
    const completed = (done.body.data as { batchJobs: { nodes: Array<{ totalItems: number; results: unknown[] }> } })
      .batchJobs.nodes[0];
    expect(completed?.totalItems).toBeGreaterThan(0);
    expect(completed?.results).toHaveLength(completed?.totalItems ?? -1);

    const created = await graphql(
      proc.url,
      'mutation { createBatchJob(input: { jobType: PARSE, directoryId: "dir-demo", configurationId: "cfg-PARSE_AGENTIC" }) { id status directoryId } }',
    );
    const job = (created.body.data as { createBatchJob: { id: string; status: string; directoryId: string } })
      .createBatchJob;
    expect(job).toMatchObject({ id: expect.stringMatching(/^bat-/), status: 'PENDING', directoryId: 'dir-demo' });

    const sub = await subscribe(new URL(proc.url), 'subscription ($id: ID!) { batchJobUpdated(id: $id) { status } }', {
      id: job.id,
    });
    expect((await sub.next()).data).toEqual({ data: { batchJobUpdated: { status: 'PENDING' } } });
    const cancel = await graphql(proc.url, 'mutation ($id: ID!) { cancelBatchJob(id: $id) { status } }', {
      id: job.id,
    });
    expect(cancel.body).toEqual({ data: { cancelBatchJob: { status: 'PENDING' } } });
    // Asynchronous: CANCELLED arrives a moment later, pushed by the demo's signed webhook.
    expect((await sub.next(8000)).data).toEqual({ data: { batchJobUpdated: { status: 'CANCELLED' } } });
    sub.close();
    await proc.waitForLog(
      (l) => l.msg === 'webhook: the job changed; pushing it to its subscribers' && l.batchId === job.id,
    );
  });
});
