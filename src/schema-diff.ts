/**
 * `npm run schema:diff`: fails (exit 1, listing them) when the schema breaks the released API in
 * schema/released/api.graphql. CI runs it. `-- --release` writes the current SDL there, for a
 * release; `-- --against FILE` compares with another SDL file. A script only: nothing imports it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { breakingChanges, currentSdl, RELEASED_SDL } from './graphql/schema-diff.js';

const args = process.argv.slice(2);
const sdl = currentSdl();
if (args.includes('--release')) {
  writeFileSync(RELEASED_SDL, sdl);
} else {
  const against = args[args.indexOf('--against') + 1];
  const released = readFileSync(args.includes('--against') && against ? against : RELEASED_SDL, 'utf8');
  const breaking = await breakingChanges(released, sdl);
  if (breaking.length > 0) {
    process.stderr.write(
      `The schema breaks the released API (schema/released/api.graphql):\n${breaking.map((m) => `  - ${m}`).join('\n')}\nMake the change additive (add, deprecate, then remove in a major release).\n`,
    );
    process.exit(1);
  }
  process.stdout.write('No breaking change against the released API.\n');
}
