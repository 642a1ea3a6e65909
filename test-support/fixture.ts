import { beforeEach } from 'vitest';

/**
 * A test file's fixture, built once when the file loads. When building throws, every test of the
 * file fails with that error (StrykerJS's vitest runner does not count a file that throws while
 * loading as failed, so a mutant that breaks a fixture would otherwise survive with no test run).
 */
export function fixture<T>(build: () => T): T {
  let failure: unknown;
  let built: T | undefined;
  try {
    built = build();
  } catch (error) {
    failure = error ?? new Error('fixture failed');
  }
  beforeEach(() => {
    if (failure !== undefined) throw failure;
  });
  return built ?? ({} as T);
}
