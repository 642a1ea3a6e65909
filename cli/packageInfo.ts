import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder: the nearest one above this module with the package's package.json (cli/ in the sources, dist/cli/ when built). */
function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'itl-model')
      return dir;
    if (dirname(dir) === dir) throw new Error('bug: the itl-model package.json was not found above the program');
  }
}

/** Where the package is installed. */
export const PACKAGE_ROOT = findRoot();

/** The package's version, for `--version`. */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** The incident `itl-model` (and `npm start`) replays when given no arguments; shipped with the package. */
export const BUNDLED_INCIDENT = join(PACKAGE_ROOT, 'examples', 'seed-incident.jsonl');
