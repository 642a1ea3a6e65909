/**
 * CUCM and phone firmware versions as Cisco writes them: `9.1(2)`, `10.0(1)`, `11.5(1)SU3`,
 * `12.5(1)SU2a`, `12.5`, `14SU3`, `15`, `10.3(1)SR4`. Ordered by (major, minor, maintenance,
 * SU/SR number, SU letter): `14SU3` is `14.0(1)SU3`, and a letter sorts after its SU (`SU2` <
 * `SU2a` < `SU3`) [docs/rules.md §15.1].
 */

/** A version as a comparable tuple: major, minor, maintenance, SU/SR number, SU letter (0 none, 1 = a …). */
export type Version = readonly [major: number, minor: number, maintenance: number, update: number, letter: number];

/** Thrown when a string that is not a version reaches a function that needs one (a bug). */
export class VersionError extends Error {
  /** The offending string. */
  readonly input: string;

  constructor(input: string) {
    super(`not a CUCM version: ${JSON.stringify(input)}`);
    this.name = 'VersionError';
    this.input = input;
  }
}

// Up to six digits per part keeps every part an exact small integer.
const VERSION_PATTERN = /^(\d{1,6})(?:\.(\d{1,6}))?(?:\((\d{1,6})\))?(?:(?:SU|SR)(\d{1,6})([a-z])?)?$/;

/** First release with an ITL (Security By Default). */
export const ITL_SINCE: Version = [8, 0, 0, 0, 0];

/** First release this model does not cover: there is no CUCM 16 to read about. */
export const NOT_MODELLED_SINCE: Version = [16, 0, 0, 0, 0];

/**
 * Parses a version, or returns undefined when the string is not one. A missing minor counts as 0
 * and a missing maintenance number as 1 (every CUCM release train starts at `(1)`, so `12.5` means
 * `12.5(1)` and `14SU3` means `14.0(1)SU3`); a missing SU/SR as 0. Pure.
 */
export function parseVersion(input: string): Version | undefined {
  const match = VERSION_PATTERN.exec(input);
  if (match === null) return undefined;
  const [, major, minor, maintenance, update, letter] = match;
  return [
    Number(major),
    Number(minor ?? 0),
    Number(maintenance ?? 1),
    Number(update ?? 0),
    letter ? letter.charCodeAt(0) - 96 : 0,
  ];
}

/** Whether a string is a version `parseVersion` accepts. Pure. */
export function isValidVersion(input: string): boolean {
  return parseVersion(input) !== undefined;
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. Pure. */
export function compareVersionTuples(a: Version, b: Version): number {
  for (let i = 0; i < 5; i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** Compares two version strings like `compareVersionTuples`; throws VersionError on a non-version. Pure. */
export function compareVersions(a: string, b: string): number {
  return compareVersionTuples(requireVersion(a), requireVersion(b));
}

/** Whether `version` is at least `since` (a tuple); throws VersionError on a non-version. Pure. */
export function atLeast(version: string, since: Version): boolean {
  return compareVersionTuples(requireVersion(version), since) >= 0;
}

/**
 * Why a CUCM version cannot be modelled, or undefined when it can: releases before 8.0 have no ITL;
 * 16 and later are not described by any source this model was written from. Throws VersionError on
 * a non-version. Pure.
 */
export function versionSupportProblem(version: string): string | undefined {
  const v = requireVersion(version);
  if (compareVersionTuples(v, ITL_SINCE) < 0)
    return `is ${version}: CUCM before 8.0 has no ITL, so there is nothing to model`;
  if (compareVersionTuples(v, NOT_MODELLED_SINCE) >= 0)
    return `is ${version}: not modelled (this release models CUCM 8.0 up to 15)`;
  return undefined;
}

/** The tuple of a version string; throws VersionError on a non-version. Pure. */
export function requireVersion(input: string): Version {
  const version = parseVersion(input);
  if (version === undefined) throw new VersionError(input);
  return version;
}
