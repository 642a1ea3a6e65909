/**
 * The spec's parameters (TLA+'s CONSTANTS): how many nodes and phones, each phone's fixed
 * configuration, the release and security mode the scope speaks of, and the what-if options (the
 * hold timer and the switches of docs/rules.md §14 where the sources disagree). Every node runs TFTP
 * and TVS; every phone has Security By Default and a non-secure profile (devices without SBD and
 * secure registration are left out of the abstract scope).
 */

/** A phone's fixed configuration: its initial TFTP node and its TVS list (its CallManager group), by node index. */
export interface PhoneConfig {
  tftp: number;
  tvs: number[];
}

/**
 * The release a scope speaks of: `10.x` (10.0–11.5: the CallManager key signs the ITL, `utils itl
 * reset` signs with ITLRecovery and restarts TFTP, one ITLRecovery per node of which the publisher's
 * is used); `12.5` (12.5(1) and later, before 14: ITLRecovery signs the ITL and the CTL, one
 * ITLRecovery for the cluster, `utils itl reset localkey` signs with the publisher's CallManager key
 * and restarts no TFTP).
 */
export type Release = '10.x' | '12.5';

/**
 * The switches (docs/rules.md §14): each names an assumption where the sources disagree; the
 * defaults are the readings the rules choose. Same names as the model's options.
 */
export interface SpecSwitches {
  /** A17 (T3): TVS vouches for the cluster's own ITLRecovery. */
  tvsVouchesOwnItlRecovery: boolean;
  /** A18/Q4: the SAST records of the installed CTL and ITL are one pool of anchors (C1, I2). */
  sharedSastPool: boolean;
  /** A18: from 12.0 a phone holding a CTL may still take an ITL through TVS (false: I3 rejects). */
  itlViaTvsWithCtl: boolean;
  /** A19: from 12.0 TVS may vouch for the cluster's own certificates as CTL signers (C2). */
  ctlTvsRescueOwn: boolean;
}

/** The switches' defaults: the readings docs/rules.md chooses. */
export const DEFAULT_SWITCHES: SpecSwitches = {
  tvsVouchesOwnItlRecovery: true,
  sharedSastPool: true,
  itlViaTvsWithCtl: false,
  ctlTvsRescueOwn: false,
};

/** The scope of a run: sizes, phone configurations, release, security mode and options. */
export interface SpecScope extends SpecSwitches {
  nodes: number;
  phones: number;
  /** configs[i]: phone i's configuration. */
  configs: PhoneConfig[];
  /** False: no 5-minute hold timer (the what-if of `--no-hold-timer`). */
  holdTimer: boolean;
  release: Release;
  /** A 10.x scope installed before 10.0: no ITLRecovery key, no `utils itl reset`, until `upgrade` (to 10.5(2)). */
  pre10: boolean;
  /**
   * A 12.5 scope installed at 11.5: 10.x rules until `upgrade`, a refresh upgrade to 12.5(1)SU2, which
   * regenerates ITLRecovery (FN70613, A29).
   */
  pre12: boolean;
  /** Mixed mode: `utils ctl` (set-cluster mixed-mode, update CTLFile, reset localkey) and the CTL on phones. */
  mixed: boolean;
}

/** The what-if options of a scope (absent: the default). */
export interface ScopeOptions extends Partial<SpecSwitches> {
  holdTimer?: boolean;
  release?: Release;
  pre10?: boolean;
  pre12?: boolean;
  mixed?: boolean;
}

/** The configurations of docs/rules.md's scenarios (A, B, C, then D on a third node); phone i has configs[i % length]. Pure. */
export function phoneConfigs(nodes: number): PhoneConfig[] {
  const configs: PhoneConfig[] = [
    { tftp: 0, tvs: [0, 1] },
    { tftp: 1, tvs: [1, 0] },
    { tftp: 0, tvs: [0] },
  ];
  if (nodes >= 3) configs.push({ tftp: 2, tvs: [2, 0] });
  return configs;
}

/** Builds a scope; throws on options that belong to another release (pre10 is 10.x's, pre12 and mixed are 12.5's). Pure. */
export function scopeOf(nodes: number, phones: number, opts: ScopeOptions = {}): SpecScope {
  const release = opts.release ?? '10.x';
  const pre10 = opts.pre10 ?? false;
  const pre12 = opts.pre12 ?? false;
  const mixed = opts.mixed ?? false;
  if (release === '10.x' && (pre12 || mixed)) throw new RangeError('pre12 and mixed are options of a 12.5 scope');
  if (release === '12.5' && pre10) throw new RangeError('pre10 is an option of a 10.x scope');
  const all = phoneConfigs(nodes);
  return {
    nodes,
    phones,
    configs: Array.from({ length: phones }, (_, i) => all[i % all.length]!),
    holdTimer: opts.holdTimer ?? true,
    release,
    pre10,
    pre12,
    mixed,
    tvsVouchesOwnItlRecovery: opts.tvsVouchesOwnItlRecovery ?? DEFAULT_SWITCHES.tvsVouchesOwnItlRecovery,
    sharedSastPool: opts.sharedSastPool ?? DEFAULT_SWITCHES.sharedSastPool,
    itlViaTvsWithCtl: opts.itlViaTvsWithCtl ?? DEFAULT_SWITCHES.itlViaTvsWithCtl,
    ctlTvsRescueOwn: opts.ctlTvsRescueOwn ?? DEFAULT_SWITCHES.ctlTvsRescueOwn,
  };
}

/** The scope's options that differ from the defaults (what `scopeOf` needs to build it again). Pure. */
export function scopeOptions(scope: SpecScope): ScopeOptions {
  const out: ScopeOptions = {};
  if (!scope.holdTimer) out.holdTimer = false;
  if (scope.release !== '10.x') out.release = scope.release;
  if (scope.pre10) out.pre10 = true;
  if (scope.pre12) out.pre12 = true;
  if (scope.mixed) out.mixed = true;
  for (const k of Object.keys(DEFAULT_SWITCHES) as Array<keyof SpecSwitches>)
    if (scope[k] !== DEFAULT_SWITCHES[k]) out[k] = scope[k];
  return out;
}
