/**
 * CUCM and phone firmware versions as Cisco writes them: `9.1(2)`, `10.0(1)`,
 * `11.5(1)SU3`, `12.5`, `14SU2`, `10.3(1)SR4`.
 */

/** A version as a comparable tuple: major, minor, maintenance, SU/SR number. */
export type Version = readonly [major: number, minor: number, maintenance: number, update: number];

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
const VERSION_PATTERN = /^(\d{1,6})(?:\.(\d{1,6}))?(?:\((\d{1,6})\))?(?:(?:SU|SR)(\d{1,6}))?$/;

/** First release with the ITLRecovery key. */
const ITL_RECOVERY_SINCE: Version = [10, 0, 1, 0];

/** First release with an ITL (Security By Default). */
export const ITL_SINCE: Version = [8, 0, 0, 0];

/** First release this model does not cover yet: from 12.0 the ITLRecovery key signs the ITL. */
export const NOT_MODELLED_SINCE: Version = [12, 0, 1, 0];

/**
 * Parses a version, or returns undefined when the string is not one. A missing
 * minor counts as 0 and a missing maintenance number as 1 (every CUCM release
 * train starts at `(1)`, so `12.5` means `12.5(1)`); a missing SU/SR as 0. Pure.
 */
export function parseVersion(input: string): Version | undefined {
  const match = VERSION_PATTERN.exec(input);
  if (match === null) return undefined;
  const [, major, minor, maintenance, update] = match;
  return [Number(major), Number(minor ?? 0), Number(maintenance ?? 1), Number(update ?? 0)];
}

/** Whether a string is a version `parseVersion` accepts. Pure. */
export function isValidVersion(input: string): boolean {
  return parseVersion(input) !== undefined;
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. Pure. */
export function compareVersionTuples(a: Version, b: Version): number {
  for (let i = 0; i < 4; i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** Compares two version strings like `compareVersionTuples`; throws VersionError on a non-version. Pure. */
export function compareVersions(a: string, b: string): number {
  return compareVersionTuples(requireVersion(a), requireVersion(b));
}

/** Whether a CUCM version has the ITLRecovery key (10.0(1) and later); throws VersionError on a non-version. Pure. */
export function hasItlRecovery(version: string): boolean {
  return compareVersionTuples(requireVersion(version), ITL_RECOVERY_SINCE) >= 0;
}

/**
 * Why a CUCM version cannot be modelled, or undefined when it can: releases before 8.0 have no ITL,
 * and 12.0 and later (ITLRecovery signs the ITL; mixed mode) are not modelled yet, so they are
 * refused rather than silently modelled as 10.x. Throws VersionError on a non-version. Pure.
 */
export function versionSupportProblem(version: string): string | undefined {
  const v = requireVersion(version);
  if (compareVersionTuples(v, ITL_SINCE) < 0)
    return `is ${version}: CUCM before 8.0 has no ITL, so there is nothing to model`;
  if (compareVersionTuples(v, NOT_MODELLED_SINCE) >= 0) {
    return `is ${version}: not modelled yet (from 12.0 the ITLRecovery key signs the ITL); this release models 8.0 up to 11.5`;
  }
  return undefined;
}

function requireVersion(input: string): Version {
  const version = parseVersion(input);
  if (version === undefined) throw new VersionError(input);
  return version;
}
