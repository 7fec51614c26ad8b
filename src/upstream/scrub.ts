/**
 * Keeps the upstream key out of what LlamaCloud's answers carry to clients. Scrubbing works on
 * decoded strings: in the raw body the key may be written with `\u` escapes, which JSON.parse
 * turns back into the key after any scrub of the raw text.
 */
const REDACTED = '[redacted]';
// Characters no JSON escape but `\uXXXX` can produce: for a key made of them, a body without `\u`
// holds the key only as it is, so the walk over its strings can be skipped.
const PLAIN_KEY = /^[\w.~+=:-]+$/;

export interface Scrubber {
  /** The text with every occurrence of the key replaced. */
  text: (value: string) => string;
  /**
   * Scrubs, in place, every string inside `value`, parsed from `raw`; skips the walk when `raw`
   * cannot hold the key. Returns `value`.
   */
  parsed: <T>(value: T, raw: string) => T;
}

export function createScrubber(secret: string): Scrubber {
  const text = (value: string) =>
    secret !== '' && value.includes(secret) ? value.replaceAll(secret, REDACTED) : value;
  const plain = PLAIN_KEY.test(secret);
  return {
    text,
    parsed(value, raw) {
      if (secret === '') return value;
      const mayHold = raw.includes(secret) || raw.includes(plain ? '\\u' : '\\');
      return mayHold ? (scrubStrings(value, text) as typeof value) : value;
    },
  };
}

/** Replaces strings (keys of objects too) anywhere in a parsed JSON value, without recursion. */
function scrubStrings(root: unknown, scrub: (text: string) => string): unknown {
  if (typeof root === 'string') return scrub(root);
  const pending: unknown[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        const item: unknown = node[i];
        if (typeof item === 'string') node[i] = scrub(item);
        else pending.push(item);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const clean = scrub(key);
      if (clean !== key) {
        Reflect.deleteProperty(record, key);
        record[clean] = item;
      }
      if (typeof item === 'string') record[clean] = scrub(item);
      else pending.push(item);
    }
  }
  return root;
}
