#!/usr/bin/env node
// Removes the survivors (and mutants without coverage) from a StrykerJS incremental file, so that the
// next run of that configuration re-tests them against today's tests and reuses every other result.
// StrykerJS's incremental mode reuses a survivor when only tests were added (it does not see that a new
// test covers it). Usage: node test-support/retestSurvivors.mjs reports/mutation/cluster/stryker-incremental.json
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node test-support/retestSurvivors.mjs <stryker-incremental.json>\n');
  process.exit(2);
}
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  process.stderr.write(`${file}: ${error.code === 'ENOENT' ? 'no such file' : 'not a StrykerJS JSON report'}\n`);
  process.exit(2);
}
let dropped = 0;
for (const entry of Object.values(report.files ?? {})) {
  const kept = entry.mutants.filter((m) => m.status !== 'Survived' && m.status !== 'NoCoverage');
  dropped += entry.mutants.length - kept.length;
  entry.mutants = kept;
}
// Written beside and renamed, so that a failure leaves the file as it was.
writeFileSync(`${file}.tmp`, JSON.stringify(report));
renameSync(`${file}.tmp`, file);
process.stdout.write(`${file}: ${dropped} survivors removed; the next run re-tests them\n`);
