import { describe, expect, it } from 'vitest';
import { generateDemoJobs } from '../../src/demo/jobs.js';
import { fastBatchJobList } from '../../src/upstream/fast-decode.js';
import { batchJobListSchema } from '../../src/upstream/wire.js';

// The shortcut must answer exactly as the schema does, or hand over: never a different answer.
const jobs = generateDemoJobs(60, Date.parse('2026-11-01T00:00:00Z'));
const base = (): Record<string, unknown> => ({ ...(structuredClone(jobs[3]) as unknown as Record<string, unknown>) });
const page = (items: unknown[], rest: Record<string, unknown> = { next_page_token: null, total_size: 60 }) => ({
  items,
  ...rest,
});

describe('the list shortcut past the schema', () => {
  it('maps the common page exactly as the schema does', () => {
    const raw = page(structuredClone(jobs));
    const fast = fastBatchJobList(raw);
    expect(fast).toBeDefined();
    expect(fast).toEqual(batchJobListSchema.parse(structuredClone(raw)));
  });

  it.each<[string, Record<string, unknown>]>([
    ['absent optional fields', { processed_items: undefined, directory_id: undefined, started_at: undefined }],
    ['null optional fields', { failed_items: null, error_message: null, completed_at: null }],
    ['extra fields', { something_new: { nested: true } }],
  ])('agrees with the schema on %s', (_, change) => {
    // Undefined stands for absent: JSON has no undefined, so those keys are left out.
    const job = Object.fromEntries(Object.entries({ ...base(), ...change }).filter(([, v]) => v !== undefined));
    const raw = page([job]);
    expect(fastBatchJobList(raw)).toEqual(batchJobListSchema.parse(structuredClone(raw)));
  });

  it.each<[string, Record<string, unknown>]>([
    ['a timestamp to normalise', { created_at: '2026-10-31T15:21:00+00:00' }],
    ['an impossible date', { created_at: '2026-13-45T15:21:00.000Z' }],
    ['an unknown status', { status: 'throttled' }],
    ['an unknown type', { job_type: 'split' }],
    ['a fractional count', { processed_items: 1.5 }],
    ['a count as text', { total_items: '12' }],
    ['an empty id', { id: '' }],
    ['a number for a string', { directory_id: 7 }],
  ])('hands %s over to the schema', (_, change) => {
    expect(fastBatchJobList(page([{ ...base(), ...change }]))).toBeUndefined();
  });

  it('keeps the page fields as the schema does', () => {
    for (const rest of [{}, { next_page_token: 'abc', total_size: null }, { next_page_token: null }]) {
      const raw = page([base()], rest);
      expect(fastBatchJobList(raw)).toEqual(batchJobListSchema.parse(structuredClone(raw)));
    }
    expect(fastBatchJobList(page([base()], { next_page_token: 3 }))).toBeUndefined();
    expect(fastBatchJobList({ items: 'none' })).toBeUndefined();
  });
});
