import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJob, wireJobs } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const PREFIX = '/api/v1/beta/batch-processing';
const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on BatchJob { id status } } }';

/** Three levels of fragments, each spreading the one below `spreads` times: spreads³ visits naively. */
function fragmentBomb(spreads: number): string {
  const spread = (name: string) => Array.from({ length: spreads }, () => `...${name}`).join(' ');
  return [
    'query Bomb { ...Lvl3 }',
    `fragment Lvl3 on Query { ${spread('Lvl2')} }`,
    `fragment Lvl2 on Query { ${spread('Lvl1')} }`,
    `fragment Lvl1 on Query { ${spread('Lvl0')} }`,
    'fragment Lvl0 on Query { batchJobs(limit: 1) { totalCount } }',
  ].join('\n');
}

describe('operation cost (MAX_COST)', () => {
  it('refuses a 6 KB fragment bomb at once, while a normal query alongside answers (upstream: one page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(1), total_size: 1 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const bomb = fragmentBomb(240);
    expect(bomb.length).toBeGreaterThan(5000);
    expect(bomb.length).toBeLessThan(7000);
    // Warm the server up so the timing below is the bomb's, not the first request's.
    await gateway.query('{ __typename }');

    const started = performance.now();
    const [refused, normal] = await Promise.all([
      gateway.query(bomb),
      gateway.query('{ batchJobs(limit: 1) { totalCount } }'),
    ]);
    const elapsed = performance.now() - started;

    expect(refused.body).toEqual({
      errors: [
        {
          message:
            'This operation would cost at least 62400, over the limit of 50000. Ask for fewer fields, smaller limits, fewer aliases or fewer entities.',
          extensions: { code: 'COST_LIMIT_EXCEEDED' },
        },
      ],
    });
    expect(normal.body).toEqual({ data: { batchJobs: { totalCount: 1 } } });
    expect(elapsed).toBeLessThan(50 * 4); // both requests, over HTTP; the bomb alone is checked below
    // The best of five, so a busy test machine cannot fail it; the walk that froze the process
    // for minutes would make every one of them slow.
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const alone = performance.now();
      await gateway.query(bomb);
      times.push(performance.now() - alone);
    }
    expect(Math.min(...times)).toBeLessThan(50);
    // The bomb never reached the upstream; the normal query did, once.
    expect(upstream.requests.map((r) => r.path)).toEqual([PREFIX]);
  });

  it('counts each upstream call a field can make: items under 1000 jobs is 1000 calls (upstream: unused)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJobs(limit: 1000) { nodes { items(limit: 1) { totalCount } } } }');

    // 1 + 50 (the page) + 1000 × (nodes… items: 1 + 50 calls, then totalCount) ≈ 52k
    expect(res.body.errors[0].extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED' });
    expect(upstream.requests).toHaveLength(0);
  });

  it('counts a size given as a variable on every request, however often its document came before (MAX_COST=2000; upstream: one page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(1), total_size: 1 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { MAX_COST: '2000' } });
    const sized = 'query Sized($n: Int) { batchJobs(limit: $n) { nodes { id status } } }';
    const written = '{ batchJobs(limit: 1000) { nodes { id status } } }';

    // Over, then under, then over again: no request's answer is kept for the next.
    const first = await gateway.query(sized, { n: 1000 });
    const small = await gateway.query(sized, { n: 1 });
    const large = await gateway.query(sized, { n: 1000 });
    // A size written in the document costs the same each time: refused both times.
    const refusedTwice = [await gateway.query(written), await gateway.query(written)];

    expect(small.body).toEqual({ data: { batchJobs: { nodes: [{ id: 'bjb-0000', status: 'RUNNING' }] } } });
    expect(first.body).toEqual(large.body);
    expect(first.status).toBe(large.status);
    expect(refusedTwice.map((refused) => refused.status)).toEqual([large.status, large.status]);
    expect(large.body.errors).toEqual([
      {
        message:
          'This operation would cost at least 3051, over the limit of 2000. Ask for fewer fields, smaller limits, fewer aliases or fewer entities.',
        extensions: { code: 'COST_LIMIT_EXCEEDED' },
      },
    ]);
    for (const refused of refusedTwice)
      expect(refused.body.errors[0].extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED' });
    expect(upstream.requests.map((r) => r.query.limit)).toEqual(['1']);
  });
});

describe('_entities (MAX_ENTITY_REPRESENTATIONS)', () => {
  it('refuses more representations than the cap with BAD_USER_INPUT and no upstream call', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { MAX_ENTITY_REPRESENTATIONS: '50' } });
    const representations = Array.from({ length: 51 }, (_, i) => ({ __typename: 'BatchJob', id: `bjb-${i}` }));

    const res = await gateway.query(ENTITIES, { r: representations });

    expect(res.body).toEqual({
      errors: [
        {
          message:
            '_entities got 51 representations; at most 50 are resolved in one request (MAX_ENTITY_REPRESENTATIONS). Send them in smaller batches.',
          extensions: { code: 'BAD_USER_INPUT', argument: 'representations' },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses 2,200 representations by cost before anything runs (upstream: unused)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const representations = Array.from({ length: 2200 }, (_, i) => ({ __typename: 'BatchJob', id: `bjb-${i}` }));

    const res = await gateway.query(ENTITIES, { r: representations });

    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED' });
    expect(upstream.requests).toHaveLength(0);
  });

  it('makes one upstream call per distinct id, however often it is repeated (upstream: by-id answers)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) => {
      const id = decodeURIComponent(req.path.slice(PREFIX.length + 1));
      sendJson(res, 200, { job: wireJob({ id }), progress_percentage: 40 });
    });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const ids = ['bjb-1', 'bjb-2', 'bjb-1', 'bjb-1', 'bjb-2', 'bjb-3'];

    const res = await gateway.query(ENTITIES, { r: ids.map((id) => ({ __typename: 'BatchJob', id })) });

    expect(res.body).toEqual({ data: { _entities: ids.map((id) => ({ id, status: 'RUNNING' })) } });
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(
      ['bjb-1', 'bjb-2', 'bjb-3'].map((id) => `${PREFIX}/${id}`),
    );
  });

  it.each([
    {
      mistake: 'an unknown __typename',
      representation: { __typename: 'Directory', id: 'dir-1' },
      message: 'Representation 1 has __typename "Directory"; this subgraph resolves only "BatchJob".',
    },
    {
      mistake: 'no __typename',
      representation: { id: 'bjb-2' },
      message: 'Representation 1 has __typename null; this subgraph resolves only "BatchJob".',
    },
    {
      mistake: 'no id',
      representation: { __typename: 'BatchJob' },
      message: 'Representation 1 (BatchJob) has no "id"; send the key field "id" as a non-empty string.',
    },
    {
      mistake: 'a numeric id',
      representation: { __typename: 'BatchJob', id: 7 },
      message: 'Representation 1 (BatchJob) has no "id"; send the key field "id" as a non-empty string.',
    },
  ])(
    'answers $mistake with BAD_USER_INPUT naming it, not INTERNAL_SERVER_ERROR (upstream: unused)',
    async ({ representation, message }) => {
      await using upstream = await startFakeUpstream();
      await using gateway = await startGateway({ upstreamUrl: upstream.url });

      const res = await gateway.query(ENTITIES, { r: [{ __typename: 'BatchJob', id: 'bjb-1' }, representation] });

      expect(res.body).toEqual({
        errors: [{ message, extensions: { code: 'BAD_USER_INPUT', argument: 'representations' } }],
      });
      expect(upstream.requests).toHaveLength(0);
    },
  );
});
