/** One reason a cluster folder cannot be read: a file (relative to the folder, `/`-separated) and, where known, a line or byte offset. */
export interface FolderProblem {
  file: string;
  line?: number;
  offset?: number;
  reason: string;
}

/** How many problems a refusal lists before it stops. */
export const MAX_FOLDER_PROBLEMS = 20;

/** A cluster folder (or one of its files) that cannot be read: every problem found, each on its own line. */
export class FolderError extends Error {
  readonly problems: readonly FolderProblem[];

  constructor(problems: FolderProblem[]) {
    super(problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.reason}`).join('\n'));
    this.name = 'FolderError';
    this.problems = problems;
  }
}

/**
 * The first MAX_FOLDER_PROBLEMS problems, and a last line saying the rest were not listed. Pure.
 */
export function capProblems(problems: FolderProblem[]): FolderProblem[] {
  if (problems.length <= MAX_FOLDER_PROBLEMS) return problems;
  const last = problems[MAX_FOLDER_PROBLEMS - 1]!;
  return [
    ...problems.slice(0, MAX_FOLDER_PROBLEMS),
    { file: last.file, reason: `stopped after ${MAX_FOLDER_PROBLEMS} problems (${problems.length} found)` },
  ];
}
