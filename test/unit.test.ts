import { Writable } from 'node:stream';
import { parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SharedWork } from '../src/sharing/shared-work.js';
import { useCompiledExecution } from '../src/graphql/compiled-execution.js';
import { createLogger } from '../src/observability/logger.js';
import { GatewayMetrics } from '../src/observability/metrics.js';
import { describeUpstreamDetail } from '../src/upstream/errors.js';
import { retryAfterMs } from '../src/upstream/retry-after.js';
import { normalizeDateTime } from '../src/upstream/wire.js';

describe('normalizeDateTime', () => {
  it.each([
    ['2019-12-27T18:11:19.117Z', '2019-12-27T18:11:19.117Z'],
    ['2019-12-27T18:11:19Z', '2019-12-27T18:11:19.000Z'],
    ['2019-12-27T18:11:19+00:00', '2019-12-27T18:11:19.000Z'],
    ['2019-12-27T18:11:19.123456+00:00', '2019-12-27T18:11:19.123Z'],
    ['2019-12-27T18:11:19.1+01:00', '2019-12-27T17:11:19.100Z'],
    ['2019-12-27T18:11:19-0230', '2019-12-27T20:41:19.000Z'],
    ['2019-12-27T18:11:19', '2019-12-27T18:11:19.000Z'],
    ['2019-12-27 18:11', '2019-12-27T18:11:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDateTime(input)).toBe(expected);
  });

  it.each(['', 'yesterday', '2019-12-27', '2019-13-45T99:99:99Z', '1577470279117', '2019-12-27T18:11:19ZZ'])(
    'rejects %j',
    (input) => {
      expect(normalizeDateTime(input)).toBeNull();
    },
  );
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, 10_000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'soon' }, null],
    [{}, null],
  ])('%j → %s', (headers, expected) => {
    expect(retryAfterMs(headers, now)).toBe(expected);
  });
});

describe('describeUpstreamDetail', () => {
  it.each([
    ['{"detail":"Job not found"}', 'Job not found'],
    ['{"detail":[{"loc":["query","limit"],"msg":"too big"},{"msg":"other"}]}', 'query.limit: too big; other'],
    ['{"detail":{"reason":"x"}}', '{"reason":"x"}'],
    ['{"message":"no detail"}', null],
    ['<html>502</html>', null],
    ['', null],
  ])('%s → %s', (body, expected) => {
    expect(describeUpstreamDetail(body)).toBe(expected);
  });

  it('truncates very long details', () => {
    const detail = describeUpstreamDetail(JSON.stringify({ detail: 'x'.repeat(2000) }));
    expect(detail).toHaveLength(501);
    expect(detail?.endsWith('…')).toBe(true);
  });
});

// Unreachable over HTTP (Yoga validates every document first, and graphql-jit compiles whatever
// passed validation), so the fallback is checked on the plugin itself with a schema jit rejects.
describe('useCompiledExecution', () => {
  it('leaves an operation graphql-jit cannot compile on the generic executor, says so once, and never retries', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const metrics = new GatewayMetrics();
    const plugin = useCompiledExecution({ after: 1, logger: createLogger('info', destination), metrics });
    const document = parse('query Jobs { batchJobs { totalCount } }');
    let replaced = 0;
    const execute = () =>
      plugin.onExecute?.({
        args: { schema: {} as GraphQLSchema, document, operationName: 'Jobs', contextValue: {} },
        executeFn: () => ({}),
        setExecuteFn: () => (replaced += 1),
      } as never);

    await execute();
    await execute();

    expect(replaced).toBe(0);
    expect(lines.map((line) => line.msg)).toEqual(['could not compile an operation; it runs uncompiled']);
    expect(lines[0]?.level).toBe(40);
    expect((await metrics.compiledOperations.get()).values.map((v) => v.value)).toEqual([0]);
  });
});

describe('shared work: the one bound on kept results', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('keeps each result no longer than its keep says, never one over a quarter of the bound, and evicts by size', async () => {
    const work = new SharedWork({ maxKeptBytes: 40 });
    const keep = (value: string) =>
      value.startsWith('error') ? null : { until: Date.now() + 60_000, bytes: value.length };
    const answer = (value: string) => () => Promise.resolve(value);
    for (const [key, value] of [
      ['upstream small', 'ok'],
      ['execution large', 'x'.repeat(11)],
      ['response failed', 'error: busy'],
    ] as const) {
      await work.run(key, undefined, answer(value), { keep }).result;
    }
    await settle();

    expect(work.join('upstream small', undefined)).toBeInstanceOf(Promise);
    expect(work.keptUntil('upstream small')).toBeGreaterThan(Date.now() + 59_000);
    expect(work.join('execution large', undefined)).toBeUndefined();
    expect(work.join('response failed', undefined)).toBeUndefined();

    // Filling the bound, whatever the kind, evicts the least recently used result.
    for (const key of ['execution a', 'response b', 'upstream c', 'execution d']) {
      await work.run(key, undefined, answer('y'.repeat(10)), { keep }).result;
    }
    await settle();
    expect(work.join('upstream small', undefined)).toBeUndefined();
    expect(work.keptUntil('upstream small')).toBeUndefined();
  });

  it('lets nobody join work that is not open yet, and cancels it only when every waiter has gone', async () => {
    const work = new SharedWork({ maxKeptBytes: 0 });
    const first = new AbortController();
    let cancelled = false;
    const { result } = work.run(
      'response k',
      first.signal,
      (signal) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => (cancelled = true));
          setTimeout(() => resolve('done'), 50);
        }),
      { joinable: false },
    );
    expect(work.join('response k', undefined)).toBeUndefined();
    work.open('response k');
    const second = new AbortController();
    const joined = work.join<string>('response k', second.signal);
    expect(work.joiners('response k')).toBe(1);
    first.abort();
    await expect(result).rejects.toThrow();
    expect(cancelled).toBe(false);
    expect(await joined).toBe('done');
  });
});
