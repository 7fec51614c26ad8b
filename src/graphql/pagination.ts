/**
 * Offset pagination from LlamaCloud presented as Relay connections. A cursor is the item's
 * absolute offset in the filtered list, encoded so clients treat it as opaque.
 */
const CURSOR_PREFIX = 'offset:';

/** The opaque cursor of the item at absolute position `offset`. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The absolute offset a cursor points at, or null when it is not a cursor this gateway made. */
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return null;
  const digits = text.slice(CURSOR_PREFIX.length);
  if (!/^(0|[1-9]\d{0,14})$/.test(digits)) return null;
  return Number(digits);
}

export interface Page<T> {
  items: readonly T[];
  /** Absolute offset of the first item. */
  offset: number;
  /** The page size asked for. */
  limit: number;
  /** The upstream's `total_size`, or null when it did not say. */
  totalSize: number | null;
  /** Whether the upstream sent a `next_page_token`; null when the field was absent altogether. */
  hasNextPageToken: boolean | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | null;
}

/**
 * Whether items follow this page. `total_size` is the best signal when present. Without it, a
 * `next_page_token` field decides (a token: more; an explicit null: the end), and when the upstream
 * sent neither, a full page is the only hint left.
 */
export function hasNextPage(page: Page<unknown>): boolean {
  if (page.totalSize !== null) return page.offset + page.items.length < page.totalSize;
  if (page.hasNextPageToken !== null) return page.hasNextPageToken;
  return page.items.length >= page.limit;
}

/** The page of a list answer (`items`, `total_size`, `next_page_token`) fetched at `offset`/`limit`. */
export function connectionOf<T>(
  answer: { items: readonly T[]; total_size: number | null; next_page_token?: string | null },
  offset: number,
  limit: number,
): Connection<T> {
  return toConnection({
    items: answer.items,
    offset,
    limit,
    totalSize: answer.total_size,
    hasNextPageToken: answer.next_page_token === undefined ? null : answer.next_page_token !== null,
  });
}

/**
 * A page as a connection. Edges and cursors are made when a query reads them: a page asked for
 * its `nodes` (what most frontends select) makes no cursor but the end one, and no edge objects.
 */
export function toConnection<T>(page: Page<T>): Connection<T> {
  const { items, offset } = page;
  return new LazyConnection(
    items as T[],
    page.totalSize,
    { hasNextPage: hasNextPage(page), hasPreviousPage: offset > 0 },
    (i) => encodeCursor(offset + i),
  );
}

/**
 * A connection whose edges and cursors are made on first read. Classes, with their getters on the
 * prototype, and not object literals with getters: V8 makes the getter pair of each such literal
 * in the old generation, so the page its getters close over survives young-generation collections
 * until a full one. Made for every page, those literals were why V8 promoted most of a page
 * request to the old generation (`--trace-gc-nvp`, bench/README.md).
 */
class LazyConnection<T> implements Connection<T> {
  readonly nodes: T[];
  readonly totalCount: number | null;
  readonly pageInfo: LazyPageInfo;
  readonly #cursorAt: (i: number) => string;
  #edges: Connection<T>['edges'] | undefined;

  constructor(
    nodes: T[],
    totalCount: number | null,
    flags: { hasNextPage: boolean; hasPreviousPage: boolean },
    cursorAt: (i: number) => string,
  ) {
    this.nodes = nodes;
    this.totalCount = totalCount;
    this.pageInfo = new LazyPageInfo(nodes.length, flags, cursorAt);
    this.#cursorAt = cursorAt;
  }

  get edges(): Connection<T>['edges'] {
    return (this.#edges ??= this.nodes.map((node, i) => ({ cursor: this.#cursorAt(i), node })));
  }
}

class LazyPageInfo implements PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  /** How many nodes the page holds: the cursors need nothing else of them. */
  readonly #count: number;
  readonly #cursorAt: (i: number) => string;

  constructor(
    count: number,
    flags: { hasNextPage: boolean; hasPreviousPage: boolean },
    cursorAt: (i: number) => string,
  ) {
    this.hasNextPage = flags.hasNextPage;
    this.hasPreviousPage = flags.hasPreviousPage;
    this.#count = count;
    this.#cursorAt = cursorAt;
  }

  get startCursor(): string | null {
    return this.#count > 0 ? this.#cursorAt(0) : null;
  }

  get endCursor(): string | null {
    return this.#count > 0 ? this.#cursorAt(this.#count - 1) : null;
  }
}

/*
 * Batch API v2 pages by token only. A cursor there is a position "after `skip` jobs of the page
 * that starts at `token`" (null: the first page), so every edge has a cursor a client can resume
 * after, as with offsets. Resuming asks for that page with `skip + limit` jobs and drops the first
 * `skip`; the last edge of a page that used all the upstream returned points at the next token
 * instead, so paging by `endCursor` never skips anything locally.
 */
const TOKEN_CURSOR_PREFIX = 'page:';
/** The longest upstream page token a cursor may wrap. */
const MAX_TOKEN_CHARS = 2048;
/** The most jobs a v2 page is asked for: LlamaCloud's bound is undocumented. */
export const MAX_V2_PAGE_SIZE = 1000;
/** A skip beyond this is no cursor this gateway handed out (limit ≤ 1000, skip < limit + 1000). */
const MAX_SKIP = 2 * MAX_V2_PAGE_SIZE;

export interface TokenPosition {
  /** The upstream page token of the page; null for the first page. */
  token: string | null;
  /** Jobs of that page before the position. */
  skip: number;
}

export function encodeTokenCursor({ token, skip }: TokenPosition): string {
  return Buffer.from(`${TOKEN_CURSOR_PREFIX}${skip}:${token ?? ''}`, 'utf8').toString('base64url');
}

/** The position a v2 cursor points after, or null when it is not a v2 cursor this gateway made. */
export function decodeTokenCursor(cursor: string): TokenPosition | null {
  if (cursor.length > 4 * MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^page:(0|[1-9]\d{0,4}):([\s\S]*)$/.exec(text);
  if (!match) return null;
  const skip = Number(match[1]);
  const token = match[2] ?? '';
  if (skip > MAX_SKIP || token.length > MAX_TOKEN_CHARS) return null;
  return { token: token === '' ? null : token, skip };
}

/** The v2 page to ask LlamaCloud for, to serve `limit` jobs after `position`. */
export function tokenPageSize(position: TokenPosition, limit: number): number {
  return Math.min(MAX_V2_PAGE_SIZE, position.skip + limit);
}

/** A v2 page (`items`, `next_page_token`, `total_size`) fetched for `position`, as a connection. */
export function tokenConnectionOf<T>(
  answer: { items: readonly T[]; next_page_token: string | null; total_size: number | null },
  position: TokenPosition,
  limit: number,
): Connection<T> {
  const { items: all, next_page_token: next } = answer;
  const items = all.slice(position.skip, position.skip + limit);
  const usedAll = position.skip + items.length >= all.length;
  const cursorAt = (i: number): string =>
    i === items.length - 1 && usedAll && next
      ? encodeTokenCursor({ token: next, skip: 0 })
      : encodeTokenCursor({ token: position.token, skip: position.skip + i + 1 });
  return new LazyConnection(
    items,
    // LlamaCloud's v2 total is an estimate when present at all.
    answer.total_size,
    {
      // An empty page ends the list whatever its token says (as LlamaCloud's SDKs stop).
      hasNextPage: items.length > 0 && (!usedAll || Boolean(next)),
      hasPreviousPage: position.token !== null || position.skip > 0,
    },
    cursorAt,
  );
}
