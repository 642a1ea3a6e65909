#!/usr/bin/env node
// The `itl-model` binary: runs the built JavaScript (npm run build writes dist/).
await import('../dist/cli/entry.js');
