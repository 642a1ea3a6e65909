/**
 * The spec's parameters (TLA+'s CONSTANTS): how many nodes and phones, each phone's fixed
 * configuration, and the what-if options. Every node runs TFTP and TVS.
 */

/** A phone's fixed configuration: its initial TFTP node and its TVS list (its CallManager group), by node index. */
export interface PhoneConfig {
  tftp: number;
  tvs: number[];
}

/** The scope of a run: sizes, phone configurations and options. */
export interface SpecScope {
  nodes: number;
  phones: number;
  /** configs[i]: phone i's configuration. */
  configs: PhoneConfig[];
  /** False: no 5-minute hold timer (the what-if of `--no-hold-timer`). */
  holdTimer: boolean;
  /** Installed before 10.0: no ITLRecovery key, no `utils itl reset`, until `upgrade`. */
  pre10: boolean;
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

/** Builds a scope. Pure. */
export function scopeOf(nodes: number, phones: number, opts: { holdTimer?: boolean; pre10?: boolean } = {}): SpecScope {
  const all = phoneConfigs(nodes);
  return {
    nodes,
    phones,
    configs: Array.from({ length: phones }, (_, i) => all[i % all.length]!),
    holdTimer: opts.holdTimer ?? true,
    pre10: opts.pre10 ?? false,
  };
}
