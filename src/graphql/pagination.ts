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

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
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
  let edges: Connection<T>['edges'] | undefined;
  return {
    get edges() {
      return (edges ??= items.map((node, i) => ({ cursor: encodeCursor(offset + i), node })));
    },
    nodes: items as T[],
    pageInfo: {
      hasNextPage: hasNextPage(page),
      hasPreviousPage: offset > 0,
      get startCursor() {
        return items.length > 0 ? encodeCursor(offset) : null;
      },
      get endCursor() {
        return items.length > 0 ? encodeCursor(offset + items.length - 1) : null;
      },
    },
    totalCount: page.totalSize,
  };
}
