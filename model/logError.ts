import type { z } from 'zod';

/** One reason a log cannot be replayed, at its line (1-based; blank lines count). */
export type LogProblem = { file: string; line: number; reason: string };

/** A log that cannot be replayed: the one error `parseLog` throws, listing each problem as `FILE:LINE: reason`. */
export class LogError extends Error {
  /** Every problem found, in line order (at most `MAX_PROBLEMS` and a last "stopped" line). */
  readonly problems: readonly LogProblem[];

  constructor(problems: LogProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.reason}`).join('\n'));
    this.name = 'LogError';
    this.problems = problems;
  }

  /** The log's file name as the user gave it. */
  get file(): string {
    return this.problems[0]!.file;
  }

  /** The line of the first problem. */
  get line(): number {
    return this.problems[0]!.line;
  }

  /** The first problem's one-line explanation, without the location. */
  get reason(): string {
    return this.problems[0]!.reason;
  }
}

/** Turns zod's complaint about an event into a one-line reason naming the field. Pure. */
export function issueReason(issue: z.core.$ZodIssue | undefined, input: object): string {
  if (issue === undefined) return 'invalid event';
  const field = quote(formatPath(issue.path));
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field ${quote(formatPath([...issue.path, issue.keys[0] ?? '']))}`;
    case 'invalid_type':
      return value.present ? `field ${field} must be ${article(issue.expected)}` : `field ${field} is missing`;
    case 'invalid_value':
      return `field ${field} must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `field ${field} must list at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'}`
        : `field ${field} must not be empty`;
    case 'too_big':
      return issue.origin === 'array'
        ? `field ${field} must list at most ${issue.maximum} entries`
        : `field ${field} ${issue.message}`;
    case 'custom': {
      const echo = issue.params?.echo === true && typeof value.value === 'string';
      return `field ${field} ${issue.message}${echo ? `, got ${quote(value.value)}` : ''}`;
    }
    case 'invalid_format': {
      const secret = issue.path.includes('securityPassword');
      return `field ${field} ${issue.message}${!secret && typeof value.value === 'string' ? `, got ${quote(value.value)}` : ''}`;
    }
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return `field ${field} is invalid`;
    default: {
      const unexpected: never = issue;
      return `invalid event (${(unexpected as { code: string }).code})`;
    }
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key))
      return { present: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { present: current !== undefined, value: current };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Quotes a value for a one-line reason, cutting long values so the line stays readable. Pure. */
export function quote(value: unknown): string {
  const quoted = JSON.stringify(value) ?? String(value);
  return quoted.length > 60 ? `${quoted.slice(0, 57)}...` : quoted;
}
