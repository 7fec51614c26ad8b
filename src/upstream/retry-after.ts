/**
 * How long an upstream asked us to wait, from `retry-after-ms` (the LlamaCloud SDKs' header) or
 * `Retry-After` (delta-seconds or an HTTP date). Returns milliseconds, or null when neither header
 * is present or parseable. Whether LlamaCloud sends either is unconfirmed, so null is common.
 */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | null {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));

  const value = first(headers['retry-after'])?.trim();
  if (value === undefined || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
