/**
 * Timestamps as LlamaCloud sends them and as the gateway serves them: one form out, UTC with
 * milliseconds and `Z` (`YYYY-MM-DDTHH:mm:ss.sssZ`), whatever ISO 8601 form came in.
 */

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(value: string, at: number): number {
  const tens = value.charCodeAt(at) - 48;
  const ones = value.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * True for a date-time already in the one form the gateway sends (UTC, milliseconds, `Z`:
 * `YYYY-MM-DDTHH:mm:ss.sssZ`) that Date.parse accepts (month 1-12, day 1-31, hour 0-23 or
 * 24:00:00.000, minute and second 0-59).
 * Character by character rather than a regex and Date.parse: a page of jobs holds a hundred of
 * them, and this is four times cheaper (a test holds it to the regex and Date.parse on every
 * combination of fields).
 */
export function isCanonicalDateTime(value: string): boolean {
  if (
    value.length !== 24 ||
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 || // T
    value.charCodeAt(13) !== 58 || // :
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 || // .
    value.charCodeAt(23) !== 90 // Z
  ) {
    return false;
  }
  const lastMs = value.charCodeAt(22) - 48;
  if (twoDigits(value, 0) < 0 || twoDigits(value, 2) < 0 || twoDigits(value, 20) < 0 || lastMs < 0 || lastMs > 9) {
    return false;
  }
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 24) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  return hour < 24 || (minute === 0 && second === 0 && value.endsWith('00.000Z'));
}
// An explicit offset (Z, +01:00, +0100) at the end; without one the time is naive.
const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[zZ]|[+-]\d{2}:?\d{2})?$/;

/**
 * Normalises an upstream timestamp to `YYYY-MM-DDTHH:mm:ss.sssZ`, or returns null when it is not an
 * ISO 8601 date-time. The upstream's serialisation is unconfirmed (`Z` or `+00:00`, micro- or
 * milliseconds, possibly naive): naive times are FastAPI's UTC datetimes, so they are read as UTC.
 * Precision below a millisecond is dropped, which JavaScript clients could not represent anyway.
 */
export function normalizeDateTime(raw: string): string | null {
  // Hot path: most values are already in the output form (and every value is checked again when
  // serialised), so accept those as they are instead of rebuilding them.
  if (isCanonicalDateTime(raw)) return raw;
  const text = raw.trim();
  if (!ISO_DATE_TIME.test(text)) return null;
  let iso = text.replace(' ', 'T');
  // Date.parse accepts at most millisecond precision reliably across engines.
  iso = iso.replace(/(\.\d{3})\d+/, '$1');
  if (!HAS_OFFSET.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
