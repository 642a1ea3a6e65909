/**
 * The process around the CLI: the one place that owns the exit code and standard output's end (an
 * interrupt while outputs are written is cli/nodeWrite.ts's). `bin/itl-model.mjs` imports this module
 * (built to dist/cli/entry.js).
 */
import { EXIT_INTERNAL_ERROR, run } from './main.ts';
import { nodeIo } from './nodeIo.ts';
import { removePendingOutputs } from './nodeWrite.ts';

// A reader that stops early (`itl-model replay … | head -1`) closes the pipe: end quietly, as `head` expects.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  removePendingOutputs();
  process.exit(0);
});

try {
  process.exitCode = await run(process.argv.slice(2), nodeIo);
} catch (error) {
  removePendingOutputs();
  const message = error instanceof Error ? error.message : String(error);
  nodeIo.err(`itl-model: internal error (a bug, please report it): ${message.split('\n')[0]}`);
  if (process.env.ITL_MODEL_DEBUG) nodeIo.err(error instanceof Error ? (error.stack ?? message) : message);
  process.exitCode = EXIT_INTERNAL_ERROR;
}
