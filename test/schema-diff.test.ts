import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { breakingChanges, currentSdl, RELEASED_SDL } from '../src/graphql/schema-diff.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const released = readFileSync(RELEASED_SDL, 'utf8');
const BLOCK = '"""';

/** Runs `npm run schema:diff -- --against FILE` with `sdl` as the released API. */
async function diffAgainst(sdl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'schema-diff-')), 'released.graphql');
  writeFileSync(file, sdl);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/schema-diff.ts', '--against', file],
      { cwd: ROOT },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the schema against the released API (schema:diff)', () => {
  it('breaks nothing today', async () => {
    expect(await breakingChanges(released, currentSdl())).toEqual([]);
  });

  it('fails on a removed field and a changed argument type, naming them', async () => {
    // As if the released API had a field and an argument type this code no longer serves.
    const subscriptionId = `batchJobUpdated(\n    ${BLOCK}The job's id.${BLOCK}\n    id: ID!`;
    expect(released).toContain(subscriptionId);
    const before = released
      .replace('type BatchJob {', 'type BatchJob {\n  legacyField: String\n')
      .replace(subscriptionId, subscriptionId.replace('id: ID!', 'id: String!'));

    expect(await breakingChanges(before, currentSdl())).toEqual([
      "Field 'legacyField' was removed from object type 'BatchJob'",
      "Type for argument 'id' on field 'Subscription.batchJobUpdated' changed from 'String!' to 'ID!'",
    ]);
    const run = await diffAgainst(before);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Field 'legacyField' was removed from object type 'BatchJob'");
  });

  it('passes an additive change (a field the released API did not have)', async () => {
    const start = released.indexOf(`  ${BLOCK}\n  Progress from 0 to 100`);
    const field = '  progressPercentage: Float\n';
    const end = released.indexOf(field, start) + field.length;
    expect(start).toBeGreaterThan(0);
    const before = released.slice(0, start) + released.slice(end);

    expect(await breakingChanges(before, currentSdl())).toEqual([]);
    const run = await diffAgainst(before);
    expect(run).toMatchObject({ code: 0, stdout: 'No breaking change against the released API.\n' });
  });
});
