/**
 * `npm run schema:print`: writes the subgraph SDL to src/generated/subgraph.graphql.
 * `--check` only compares, and exits 1 when the committed file is stale (CI runs it).
 * A script only: importing it writes the file, so nothing imports it (tests use subgraph-sdl.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { printedSubgraphSdl } from './graphql/subgraph-sdl.js';

const OUTPUT = new URL('../src/generated/subgraph.graphql', import.meta.url);

const sdl = printedSubgraphSdl();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUTPUT, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== sdl) {
    process.stderr.write('src/generated/subgraph.graphql is stale: run `npm run schema:print` and commit it.\n');
    process.exit(1);
  }
} else {
  writeFileSync(OUTPUT, sdl);
}
