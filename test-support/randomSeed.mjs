#!/usr/bin/env node
// `npm run test:random`: the suite with a freshly drawn FC_SEED, printed first so a failure can be replayed
// with `FC_SEED=<seed> npm test`. (`npm test` uses a fixed seed: properties/arbitraries.ts DEFAULT_SEED.)
import { spawnSync } from 'node:child_process';

const seed =
  process.env.FC_SEED && process.env.FC_SEED !== 'random'
    ? process.env.FC_SEED
    : String(Math.floor(Math.random() * 2 ** 31));
console.log(`FC_SEED=${seed} (replay a failure with: FC_SEED=${seed} npm test)`);
const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url);
const result = spawnSync(process.execPath, [vitest.pathname, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FC_SEED: seed },
});
console.log(`FC_SEED=${seed}`);
process.exit(result.status ?? 1);
