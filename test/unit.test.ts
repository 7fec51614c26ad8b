import { Writable } from 'node:stream';
import { parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Coalescer } from '../src/sharing/coalescer.js';
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

describe('Coalescer cache bounds', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('keeps each answer no longer than cacheTtlOf says, and never one over the size bound', async () => {
    const coalescer = new Coalescer<string>({
      cacheTtlMs: 60_000,
      cacheTtlOf: (value) => (value.startsWith('error') ? 0 : 60_000),
      cacheSize: { max: 10, of: (value) => value.length },
    });
    const answer = (value: string) => () => Promise.resolve(value);
    for (const [key, value] of [
      ['small', 'ok'],
      ['large', 'x'.repeat(11)],
      ['failed', 'error: busy'],
    ] as const) {
      await coalescer.run(key, undefined, answer(value)).result;
    }
    await settle();

    expect(coalescer.join('small', undefined)).toBeInstanceOf(Promise);
    expect(coalescer.cachedUntil('small')).toBeGreaterThan(Date.now() + 59_000);
    expect(coalescer.join('large', undefined)).toBeUndefined();
    expect(coalescer.join('failed', undefined)).toBeUndefined();

    // Filling the size bound evicts the least recently used answer.
    await coalescer.run('other', undefined, answer('y'.repeat(9))).result;
    await settle();
    expect(coalescer.join('small', undefined)).toBeUndefined();
    expect(coalescer.cachedUntil('small')).toBeUndefined();
  });
});
