import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const TRUSTED = 'query TrustedJobs { batchJobs(limit: 5) { totalCount } }';
const HASH = createHash('sha256').update(TRUSTED).digest('hex');

function manifestFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'persisted-documents.json');
  writeFileSync(file, JSON.stringify({ [HASH]: TRUSTED }));
  return file;
}

const byHash = (hash: string) => JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

describe('trusted documents (PERSISTED_OPERATIONS_FILE, ALLOW_ARBITRARY_OPERATIONS=false)', () => {
  it('runs an operation from the manifest by its hash, or by documentId (upstream: empty list)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { PERSISTED_OPERATIONS_FILE: manifestFile(), ALLOW_ARBITRARY_OPERATIONS: 'false' },
    });
    const send = (body: string) =>
      gateway.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const res = await send(byHash(HASH));
    const res2 = await send(JSON.stringify({ documentId: `sha256:${HASH}` }));

    expect(res.body).toEqual({ data: { batchJobs: { totalCount: 0 } } });
    expect(res2.body).toEqual({ data: { batchJobs: { totalCount: 0 } } });
    expect(upstream.requests.map((r) => r.query.limit)).toEqual(['5', '5']);
  });

  it.each([
    [
      'an operation not in the manifest',
      byHash('0'.repeat(64)),
      'PERSISTED_QUERY_NOT_FOUND',
      "This operation is not in the gateway's list of trusted operations. Regenerate the client's operations and the manifest together.",
    ],
    [
      'query text',
      JSON.stringify({ query: TRUSTED }),
      'PERSISTED_QUERY_ONLY',
      'This gateway runs trusted operations only: send extensions.persistedQuery.sha256Hash instead of the query text.',
    ],
  ])('refuses %s with no upstream call', async (_name, body, code, message) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { PERSISTED_OPERATIONS_FILE: manifestFile(), ALLOW_ARBITRARY_OPERATIONS: 'false' },
    });

    const res = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message, extensions: { code } }] });
    expect(upstream.requests).toHaveLength(0);
  });

  it('still runs arbitrary operations when ALLOW_ARBITRARY_OPERATIONS is left on', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { PERSISTED_OPERATIONS_FILE: manifestFile() },
    });

    expect((await gateway.query('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });
});
