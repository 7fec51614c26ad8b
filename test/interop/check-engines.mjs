// Every package installed here admits this Node (engine-strict checks what npm resolves; this
// checks the installed tree as it stands, overrides included). Exits 1 naming any that does not.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const semver = createRequire(new URL('../../package.json', import.meta.url))('semver');
const root = new URL('./node_modules/', import.meta.url).pathname;
const refused = [];
let checked = 0;
function visit(dir) {
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (name.startsWith('@')) {
      visit(path);
      continue;
    }
    const manifest = join(path, 'package.json');
    if (existsSync(manifest)) {
      const { name: pkg, version, engines } = JSON.parse(readFileSync(manifest, 'utf8'));
      checked += 1;
      const range = engines?.node;
      if (range && !semver.satisfies(process.version, range, { includePrerelease: true })) {
        refused.push(`${pkg}@${version} needs node ${range}`);
      }
    }
    visit(join(path, 'node_modules'));
  }
}
visit(root);
if (refused.length > 0) {
  console.error(`${refused.length} installed packages refuse Node ${process.version}:\n${refused.join('\n')}`);
  process.exit(1);
}
console.log(`${checked} installed packages admit Node ${process.version}`);
