import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../src/graphql/pagination.js';
import { startFakeUpstream, wireJobs } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

const PAGE = `query ($limit: Int, $offset: Int) {
  batchJobs(limit: $limit, offset: $offset) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** Serves a list of `total` jobs honouring limit/offset, like LlamaCloud. */
async function upstreamWith(total: number, options: { totalSize: boolean; token: boolean }) {
  const upstream = await startFakeUpstream();
  upstream.respond((req, res) => {
    const limit = Number(req.query.limit);
    const offset = Number(req.query.offset);
    const items = wireJobs(Math.max(0, Math.min(limit, total - offset)), offset);
    const more = offset + items.length < total;
    const body: Record<string, unknown> = { items };
    if (options.totalSize) body.total_size = total;
    // A token-paging upstream says null on the last page (FastAPI serialises None).
    if (options.token) body.next_page_token = more ? `tok-${offset + limit}` : null;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return upstream;
}

function edges(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    cursor: encodeCursor(from + i),
    node: { id: `bjb-${String(from + i).padStart(4, '0')}` },
  }));
}

function page(from: number, count: number, totalCount: number | null, hasNextPage: boolean) {
  const e = edges(from, count);
  return {
    data: {
      batchJobs: {
        totalCount,
        edges: e,
        pageInfo: {
          hasNextPage,
          hasPreviousPage: from > 0,
          startCursor: e[0]?.cursor ?? null,
          endCursor: e.at(-1)?.cursor ?? null,
        },
      },
    },
  };
}

describe('batchJobs pagination', () => {
  describe('with total_size (upstream: 25 jobs, total_size sent)', () => {
    it.each([
      ['start', 0, 10, page(0, 10, 25, true)],
      ['middle', 10, 10, page(10, 10, 25, true)],
      ['end', 20, 10, page(20, 5, 25, false)],
      ['exactly the end', 15, 10, page(15, 10, 25, false)],
      ['past the end', 40, 10, page(40, 0, 25, false)],
    ])('%s', async (_name, offset, limit, expected) => {
      await using upstream = await upstreamWith(25, { totalSize: true, token: false });
      await using gateway = await startGateway({ upstreamUrl: upstream.url });
      const res = await gateway.query(PAGE, { limit, offset });
      expect(res.body).toEqual(expected);
    });
  });

  describe('without total_size, with next_page_token, null on the last page (upstream: 25 jobs)', () => {
    it.each([
      ['start', 0, 10, page(0, 10, null, true)],
      ['exactly the end: a null token says no next page although the page is full', 15, 10, page(15, 10, null, false)],
      ['past the end', 30, 10, page(30, 0, null, false)],
      ['end', 20, 10, page(20, 5, null, false)],
    ])('%s', async (_name, offset, limit, expected) => {
      await using upstream = await upstreamWith(25, { totalSize: false, token: true });
      await using gateway = await startGateway({ upstreamUrl: upstream.url });
      const res = await gateway.query(PAGE, { limit, offset });
      expect(res.body).toEqual(expected);
    });
  });

  describe('with neither: a full page is the only hint (upstream: 25 jobs)', () => {
    it.each([
      ['start', 0, 10, page(0, 10, null, true)],
      ['exactly the end (a full page cannot tell)', 15, 10, page(15, 10, null, true)],
      ['short last page', 20, 10, page(20, 5, null, false)],
      ['past the end', 30, 10, page(30, 0, null, false)],
    ])('%s', async (_name, offset, limit, expected) => {
      await using upstream = await upstreamWith(25, { totalSize: false, token: false });
      await using gateway = await startGateway({ upstreamUrl: upstream.url });
      const res = await gateway.query(PAGE, { limit, offset });
      expect(res.body).toEqual(expected);
    });
  });

  it('gives every edge a distinct cursor across pages (upstream: 25 jobs)', async () => {
    await using upstream = await upstreamWith(25, { totalSize: true, token: false });
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const cursors: string[] = [];
    for (const offset of [0, 10, 20]) {
      const res = await gateway.query(PAGE, { limit: 10, offset });
      cursors.push(...res.body.data.batchJobs.edges.map((e: { cursor: string }) => e.cursor));
    }
    expect(cursors).toHaveLength(25);
    expect(new Set(cursors).size).toBe(25);
  });
});

describe('cursors', () => {
  it('round-trip absolute offsets', () => {
    for (const offset of [0, 1, 19, 1000, 123_456_789]) expect(decodeCursor(encodeCursor(offset))).toBe(offset);
  });

  it('are opaque (not the plain number)', () => {
    expect(encodeCursor(20)).not.toContain('20');
  });

  it.each([
    '',
    'garbage!',
    encodeCursor(1).slice(1),
    Buffer.from('offset:-1').toString('base64url'),
    Buffer.from('offset:01').toString('base64url'),
    Buffer.from('page:1').toString('base64url'),
    'a'.repeat(65),
  ])('reject %j', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
