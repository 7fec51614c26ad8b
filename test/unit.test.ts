import { Writable } from 'node:stream';
import { parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AbandonedError, SharedWork } from '../src/sharing/shared-work.js';
import { useCompiledExecution } from '../src/graphql/compiled-execution.js';
import { createLogger } from '../src/observability/logger.js';
import { GatewayMetrics } from '../src/observability/metrics.js';
import { describeUpstreamDetail } from '../src/upstream/errors.js';
import { retryAfterMs } from '../src/upstream/retry-after.js';
import { isCanonicalDateTime, normalizeDateTime } from '../src/upstream/date-time.js';
import { OncePerKey } from '../src/graphql/loaders.js';

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

describe('isCanonicalDateTime', () => {
  it('accepts exactly what the canonical pattern and Date.parse accept, on every combination of fields', () => {
    const pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    const reference = (value: string) => pattern.test(value) && !Number.isNaN(Date.parse(value));
    const pad = (value: number) => String(value).padStart(2, '0');
    const differences: string[] = [];
    let accepted = 0;
    for (const year of ['0000', '2024', '2026', '9999']) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          for (const hour of [0, 23, 24, 25]) {
            for (const minute of [0, 59, 60]) {
              for (const second of [0, 59, 60]) {
                for (const ms of ['000', '999']) {
                  const value = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.${ms}Z`;
                  if (isCanonicalDateTime(value) !== reference(value)) differences.push(value);
                  if (reference(value)) accepted += 1;
                }
              }
            }
          }
        }
      }
    }
    const odd = [
      '2026-01-01T00:00:00.000z',
      '2026-01-01 00:00:00.000Z',
      '2026-1-01T00:00:00.000Z',
      'x026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.00aZ',
      '2026-01-01T00:00:00.000Z ',
      '2026-01-01T00:00:00+000Z',
      '2026-01-01T00:00:00Z',
    ];
    for (const value of odd) if (isCanonicalDateTime(value) !== reference(value)) differences.push(value);
    expect(differences).toEqual([]);
    expect(accepted).toBeGreaterThan(10_000);
  });
});

describe("OncePerKey (a request's page loaders)", () => {
  it('makes one call per distinct key, also after the first has settled, and shares a failure with every asker', async () => {
    const calls: string[] = [];
    const pages = new OncePerKey<{ offset: number }, string>(
      ({ offset }) => `offset=${offset}`,
      ({ offset }) => {
        calls.push(`offset=${offset}`);
        return offset === 9 ? Promise.reject(new Error('upstream failed')) : Promise.resolve(`page at ${offset}`);
      },
    );
    expect(await pages.load({ offset: 0 })).toBe('page at 0');
    // Asked again once the first call is over: this request gets the same page, not a new call.
    expect(await pages.load({ offset: 0 })).toBe('page at 0');
    expect(await pages.load({ offset: 20 })).toBe('page at 20');
    await expect(pages.load({ offset: 9 })).rejects.toThrow('upstream failed');
    await expect(pages.load({ offset: 9 })).rejects.toThrow('upstream failed');
    expect(calls).toEqual(['offset=0', 'offset=20', 'offset=9']);
  });
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
      ['execution failed', 'error: busy'],
    ] as const) {
      await work.run(key, undefined, answer(value), { keep }).result;
    }
    await settle();

    expect(work.join('upstream small', undefined)).toBeInstanceOf(Promise);
    expect(work.keptUntil('upstream small')).toBeGreaterThan(Date.now() + 59_000);
    expect(work.join('execution large', undefined)).toBeUndefined();
    expect(work.join('execution failed', undefined)).toBeUndefined();

    // Filling the bound, whatever the kind, evicts the least recently used result.
    for (const key of ['execution a', 'execution b', 'upstream c', 'execution d']) {
      await work.run(key, undefined, answer('y'.repeat(10)), { keep }).result;
    }
    await settle();
    expect(work.join('upstream small', undefined)).toBeUndefined();
    expect(work.keptUntil('upstream small')).toBeUndefined();
  });

  it('lets others join a lead at once, cancels its work only when every waiter has gone, and sends them their own way when it is abandoned', async () => {
    const work = new SharedWork({ maxKeptBytes: 0 });
    const first = new AbortController();
    let cancelled = false;
    const lead = work.lead<string>('execution k', first.signal);
    expect(lead).toBeDefined();
    expect(work.lead('execution k', undefined)).toBeUndefined();
    const second = new AbortController();
    const joined = work.join<string>('execution k', second.signal);
    expect(joined).toBeInstanceOf(Promise);
    lead!.signal.addEventListener('abort', () => (cancelled = true));
    const result = lead!.settle(new Promise<string>((resolve) => setTimeout(() => resolve('done'), 50)));
    first.abort();
    await expect(result).rejects.toThrow();
    expect(cancelled).toBe(false);
    expect(await joined).toBe('done');
    expect(work.size).toBe(0);

    // Work that fails before it returns a promise still ends its flight.
    const thrown = work.run<string>('upstream t', undefined, () => {
      throw new Error('no promise');
    });
    await expect(thrown.result).rejects.toThrow('no promise');
    expect(work.size).toBe(0);

    const leaving = new AbortController();
    const abandoned = work.lead<string>('execution m', leaving.signal)!;
    const waiting = work.join<string>('execution m', undefined);
    const joinerLeaving = new AbortController();
    const leftEarly = work.join<string>('execution m', joinerLeaving.signal);
    abandoned.abandon();
    // A joiner whose client goes as the lead is abandoned no longer counts: the leader's own work
    // goes on.
    joinerLeaving.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbandonedError);
    await expect(leftEarly).rejects.toThrow();
    expect(work.size).toBe(0);
    // What the leader then does alone stops when its own client goes.
    expect(abandoned.signal.aborted).toBe(false);
    leaving.abort();
    expect(abandoned.signal.aborted).toBe(true);
  });
});
