import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJob } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const PINNED = { LLAMA_CLOUD_PROJECT_ID: 'proj-mine', LLAMA_CLOUD_ORGANIZATION_ID: 'org-mine' };

describe('tenant pinning', () => {
  it('sends the pinned project and organization on every upstream call (upstream: list and by-id)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) =>
      req.path.endsWith('/batch-processing')
        ? sendJson(res, 200, { items: [], total_size: 0 })
        : sendJson(res, 200, { job: wireJob(), progress_percentage: 1 }),
    );
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PINNED });

    await gateway.query(
      '{ batchJobs(filter: { projectId: "proj-mine" }) { totalCount } batchJob(id: "bjb-1") { id } }',
    );

    expect(upstream.requests.map((r) => r.query).sort((a, b) => Object.keys(a).length - Object.keys(b).length)).toEqual(
      [
        { project_id: 'proj-mine', organization_id: 'org-mine' },
        { project_id: 'proj-mine', organization_id: 'org-mine', limit: '20', offset: '0' },
      ],
    );
  });

  it.each([
    [
      'projectId: "proj-theirs"',
      'This gateway serves one project only; filter.projectId "proj-theirs" is not it. Leave filter.projectId out.',
    ],
    [
      'organizationId: "org-theirs"',
      'This gateway serves one organization only; filter.organizationId "org-theirs" is not it. Leave filter.organizationId out.',
    ],
  ])('refuses another tenant (%s) with FORBIDDEN and no upstream call', async (filter, message) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: PINNED });

    const res = await gateway.query(`{ batchJobs(filter: { ${filter} }) { totalCount } }`);

    expect(res.body).toEqual({
      data: null,
      errors: [
        { message, locations: [{ line: 1, column: 3 }], path: ['batchJobs'], extensions: { code: 'FORBIDDEN' } },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });
});
