import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

describe('batchJobs argument validation (upstream: never called)', () => {
  it.each([
    ['limit: 0', 'limit', 'Argument "limit" was 0; give a whole number from 1 to 1000.'],
    ['limit: 1001', 'limit', 'Argument "limit" was 1001; give a whole number from 1 to 1000.'],
    ['limit: -5', 'limit', 'Argument "limit" was -5; give a whole number from 1 to 1000.'],
    ['limit: null', 'limit', 'Argument "limit" was null; give a whole number from 1 to 1000.'],
    ['offset: -1', 'offset', 'Argument "offset" was -1; give a whole number of 0 or more.'],
    ['offset: null', 'offset', 'Argument "offset" was null; give a whole number of 0 or more.'],
    [
      'filter: { directoryId: " " }',
      'filter.directoryId',
      'Argument "filter.directoryId" was " "; give a non-empty id, or leave the field out.',
    ],
  ])('rejects %s with BAD_USER_INPUT and no upstream call', async (args, argument, message) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query(`{ batchJobs(${args}) { totalCount } }`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message,
          locations: [{ line: 1, column: 3 }],
          path: ['batchJobs'],
          extensions: { code: 'BAD_USER_INPUT', argument },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
    // The request's log line says which errors it answered with.
    const line = gateway.logs.find((entry) => entry.msg === 'request' && entry.path === '/graphql');
    expect(line?.errorCodes).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects a limit given through a variable the same way', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('query ($l: Int) { batchJobs(limit: $l) { totalCount } }', { l: 5000 });

    expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'limit' });
    expect(res.body.errors[0].message).toBe('Argument "limit" was 5000; give a whole number from 1 to 1000.');
    expect(upstream.requests).toHaveLength(0);
  });

  it('rejects a non-integer limit during validation, before execution', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJobs(limit: 2.5) { totalCount } }');

    expect(res.body).toEqual({
      errors: [
        {
          message: 'Int cannot represent non-integer value: 2.5',
          locations: [{ line: 1, column: 20 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('rejects an unknown enum value with a suggestion-free validation error', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ batchJobs(filter: { status: DONE }) { totalCount } }');

    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(res.body.errors[0].message).toContain('Value "DONE" does not exist in "BatchJobStatus" enum.');
    expect(upstream.requests).toHaveLength(0);
  });

  const STATUSES = 'Valid values: PENDING, THROTTLED, RUNNING, DISPATCHED, COMPLETED, FAILED, CANCELLED.';

  it.each([
    ['application/json', 200],
    ['application/graphql-response+json', 400],
  ])(
    'answers an unknown enum value alike inline and through variables (%s: %i), listing the valid values',
    async (accept, status) => {
      await using upstream = await startFakeUpstream();
      await using gateway = await startGateway({ upstreamUrl: upstream.url });

      const inline = await gateway.query('{ batchJobs(filter: { status: DONE }) { totalCount } }', undefined, {
        accept,
      });
      const viaVariables = await gateway.query(
        'query ($f: BatchJobFilter) { batchJobs(filter: $f) { totalCount } }',
        { f: { status: 'DONE' } },
        { accept },
      );

      expect([inline.status, viaVariables.status]).toEqual([status, status]);
      expect(inline.body).toEqual({
        errors: [
          {
            message: `Value "DONE" does not exist in "BatchJobStatus" enum. ${STATUSES}`,
            locations: [{ line: 1, column: 31 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
      expect(viaVariables.body).toEqual({
        errors: [
          {
            message: `Variable "$f" got invalid value "DONE" at "f.status"; Value "DONE" does not exist in "BatchJobStatus" enum. ${STATUSES}`,
            locations: [{ line: 1, column: 8 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      // The same document again (validation is cached): the list is not repeated.
      const again = await gateway.query('{ batchJobs(filter: { status: DONE }) { totalCount } }', undefined, {
        accept,
      });
      expect(again.body).toEqual(inline.body);
      expect(upstream.requests).toHaveLength(0);
    },
  );
});
