import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJob, type FakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';
import { hs256Token } from '../support/tokens.js';

const CANCEL =
  'mutation ($id: ID!, $reason: String) { cancelBatchJob(id: $id, reason: $reason) { id status completedAt } }';

/** Cancel answers with `cancelStatus`; reading the job back answers with it cancelled. */
function cancellable(upstream: FakeUpstream, cancelStatus = 200, detail = '') {
  upstream.respond((req, res) => {
    if (req.method === 'POST') {
      if (cancelStatus === 200)
        sendJson(res, 200, { job_id: 'bjb-1', message: 'Job cancelled', processed_items: 3, status: 'cancelled' });
      else sendJson(res, cancelStatus, { detail });
      return;
    }
    sendJson(res, 200, {
      job: wireJob({ id: 'bjb-1', status: 'cancelled', completed_at: '2026-11-29T10:00:00Z' }),
      progress_percentage: 30,
    });
  });
}

describe('cancelBatchJob', () => {
  it('posts the cancel with the reason, then returns the job as it stands (upstream: cancel 200, job cancelled)', async () => {
    await using upstream = await startFakeUpstream();
    cancellable(upstream);
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(CANCEL, { id: 'bjb-1', reason: 'wrong directory' });

    expect(res.body).toEqual({
      data: { cancelBatchJob: { id: 'bjb-1', status: 'CANCELLED', completedAt: '2026-11-29T10:00:00.000Z' } },
    });
    expect(upstream.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/api/v1/beta/batch-processing/bjb-1/cancel', '{"reason":"wrong directory"}'],
      ['GET', '/api/v1/beta/batch-processing/bjb-1', ''],
    ]);
    expect(upstream.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it("passes on LlamaCloud's reason when the job already finished (upstream: 400)", async () => {
    await using upstream = await startFakeUpstream();
    cancellable(upstream, 400, 'Job bjb-1 is already completed and cannot be cancelled');
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(CANCEL, { id: 'bjb-1' });

    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'LlamaCloud rejected the request (HTTP 400): Job bjb-1 is already completed and cannot be cancelled',
          locations: [{ line: 1, column: 40 }],
          path: ['cancelBatchJob'],
          extensions: { code: 'UPSTREAM_REJECTED', upstreamStatus: 400 },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.body).toBe('{"reason":null}');
  });

  it('answers an unknown job with NOT_FOUND, as the subscription does (upstream: 404)', async () => {
    await using upstream = await startFakeUpstream();
    cancellable(upstream, 404, 'Batch job not found');
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(CANCEL, { id: 'bjb-gone' });

    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message:
            'There is no batch job "bjb-gone" (LlamaCloud knows none by that id). Check the id, or the project this gateway is pinned to.',
          locations: [{ line: 1, column: 40 }],
          path: ['cancelBatchJob'],
          extensions: { code: 'NOT_FOUND', upstreamStatus: 404 },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it('is never retried (upstream: 503 on cancel)', async () => {
    await using upstream = await startFakeUpstream();
    cancellable(upstream, 503, 'busy');
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { UPSTREAM_RETRY_BASE_DELAY_MS: '1' } });

    const res = await gateway.query(CANCEL, { id: 'bjb-1' });

    expect(res.body.errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
    expect(upstream.requests.map((r) => r.method)).toEqual(['POST']);
  });

  describe('with AUTH_MODE=jwt', () => {
    const secret = 'cancel-tests-secret-of-32-characters!!';
    const env = { AUTH_MODE: 'jwt', JWT_SECRET: secret };
    const token = (claims: Record<string, unknown>) => hs256Token(secret, 'u', claims);

    it('refuses a caller without the cancel scope with FORBIDDEN and no upstream call', async () => {
      await using upstream = await startFakeUpstream();
      cancellable(upstream);
      await using gateway = await startGateway({ upstreamUrl: upstream.url, env });

      const res = await gateway.query(
        CANCEL,
        { id: 'bjb-1' },
        { authorization: `Bearer ${await token({ scope: 'batch-jobs:read' })}` },
      );

      expect(res.body.errors[0]).toMatchObject({
        message:
          'Cancelling a job needs the "batch-jobs:cancel" scope or role in your token; ask for a token that has it.',
        extensions: { code: 'FORBIDDEN' },
      });
      expect(upstream.requests).toHaveLength(0);
    });

    it.each([
      { scope: 'batch-jobs:read batch-jobs:cancel' },
      { scp: ['batch-jobs:cancel'] },
      { roles: ['batch-jobs:cancel'] },
    ])('lets a caller with the scope or role cancel (%j)', async (claims) => {
      await using upstream = await startFakeUpstream();
      cancellable(upstream);
      await using gateway = await startGateway({ upstreamUrl: upstream.url, env });

      const res = await gateway.query(CANCEL, { id: 'bjb-1' }, { authorization: `Bearer ${await token(claims)}` });

      expect(res.body.data.cancelBatchJob.status).toBe('CANCELLED');
    });
  });
});
