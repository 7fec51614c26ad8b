/**
 * Typed reads of environment variables for `parseConfig`. A bad value is recorded as a problem
 * (quoting it, except for secrets) and the default is returned, so every problem is found in one pass.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads typed values from the environment, recording a problem (and returning the default) on bad input. */
export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  isSet(name: string): boolean {
    return (this.env[name] ?? '').trim() !== '';
  }

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /**
   * A secret is never quoted back in a problem. One shorter than `minLength` is a problem, and
   * is still returned, so the problems that depend on whether it is set are the same.
   */
  secret(name: string, minLength = 1): string | null {
    const value = this.env[name];
    if (value === undefined || value.trim() === '') return null;
    if (/\s/.test(value)) {
      this.problems.push(`${name} contains white space; paste the key alone, without quotes or spaces.`);
      return null;
    }
    if (value.length < minLength) this.problems.push(`${name} must be at least ${minLength} characters long.`);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`);
      return fallback;
    }
    return n;
  }

  /** An http(s) URL; `example` is quoted in the problem when the value is not one. */
  url(name: string, fallback: string, example = fallback): URL {
    const value = this.raw(name) ?? fallback;
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      this.problems.push(`${name} must be an http(s) URL such as ${example}; got ${JSON.stringify(value)}.`);
      return new URL(fallback);
    }
    if (url.search || url.hash || url.username || url.password) {
      // Not quoted back: the URL may hold a password.
      this.problems.push(`${name} must be a plain base URL, without a query, fragment or credentials.`);
    }
    return url;
  }

  /** A `redis://` or `rediss://` URL, or null when unset. Never quoted back: it may hold a password. */
  redisUrl(name: string): URL | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (url === null || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
      this.problems.push(
        `${name} must be a redis:// or rediss:// URL such as redis://:password@redis.internal:6379/0.`,
      );
      return null;
    }
    if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname)) {
      this.problems.push(`${name} may name a database only as a number (redis://host:6379/0).`);
      return null;
    }
    return url;
  }

  optionalString(name: string): string | null {
    return this.raw(name) ?? null;
  }

  /** A comma-separated list; empty when unset. */
  list(name: string): string[] {
    return (this.raw(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name} must be true or false; got ${JSON.stringify(value)}.`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`);
    return fallback;
  }
}
