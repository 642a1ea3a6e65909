import { DEFAULT_EXPORT_SCOPE, exportScope, exportScopes } from '../properties/promela/exportScopes.ts';
import { promelaModel } from '../properties/promela/promela.ts';
import { pathProblems, type Io } from './io.ts';
import { refuse, writeOrRefuse } from './refusal.ts';

/** Options of `itl-model export`. */
export interface ExportOptions {
  promela?: boolean;
  scope?: string;
  out?: string;
  list?: boolean;
}

/**
 * `itl-model export --promela [--scope NAME] [--out FILE]`: the abstract spec over one named scope as
 * a Promela model for Spin (properties/promela/promela.ts); `--list` names the scopes. Bad input
 * (no format, an unknown scope, an --out that cannot be written) is one line on standard error and
 * exit status 2, checked before the model is built.
 */
export async function exportCommand(options: ExportOptions, io: Io): Promise<number> {
  if (options.list) {
    for (const s of exportScopes()) io.out(`${s.name}  ${s.about}`);
    return 0;
  }
  if (!options.promela) {
    io.err('itl-model export: say which format: --promela (the only one)');
    return 2;
  }
  const name = options.scope ?? DEFAULT_EXPORT_SCOPE;
  const chosen = exportScope(name);
  if (!chosen) {
    io.err(`itl-model export: unknown scope "${name}" (export --list names them)`);
    return 2;
  }
  if (options.out) {
    const problems = await pathProblems([{ name: '--out', path: options.out, kind: 'file' }], io);
    if (problems.length > 0) return refuse(io, false, problems);
  }
  const text = promelaModel(chosen.scope, chosen.alphabet, `${chosen.name}: ${chosen.about}`);
  if (options.out) {
    const refused = await writeOrRefuse(io, [{ kind: 'file', path: options.out, data: text }], false, '--out');
    if (refused) return refused;
    io.out(`wrote the Promela model of ${chosen.name} to ${options.out}`);
    return 0;
  }
  for (const line of text.replace(/\n$/, '').split('\n')) io.out(line);
  return 0;
}
