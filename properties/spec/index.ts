/**
 * The abstract spec of the trust rules (docs/rules.md), independent of model/: what the exhaustive
 * explorer (properties/explorer/) checks and the machines are held against (the model-based test,
 * properties/referenceModel.prop.test.ts). It reads top-down, as a TLA+ or Quint module does:
 *
 * 1. constants.ts: the timers (HOLD_SECONDS, AUTO_RESTART_SECONDS), "no key", the publisher;
 * 2. scope.ts: the parameters of a run (nodes, phones, their configurations, the release (10.x or
 *    12.5), mixed mode, the what-if options and switches);
 * 3. state.ts: the variables (nodes, phones, ITLs and CTLs over symbolic keys) and the initial state;
 * 4. invariants.ts: the properties, checked on states and steps;
 * 5. rules.ts: the trust rules (R0–R4; C0–C3 and I1–I3 with a CTL), which ITL and CTL a node serves;
 * 6. events.ts, action.ts, actions.ts: the actions, each with its enabling condition, its refusal
 *    (refusals.ts) and its effect in one place, grouped in phoneActions.ts, certActions.ts,
 *    tftpActions.ts, recoveryActions.ts, ctlActions.ts and timeActions.ts (built from effects.ts);
 * 7. step.ts: the step relation the explorer and the tests take.
 */
export * from './constants.ts';
export * from './scope.ts';
export * from './state.ts';
export * from './invariants.ts';
export * from './rules.ts';
export * from './events.ts';
export * from './refusals.ts';
export * from './action.ts';
export * from './actions.ts';
export * from './effects.ts';
export * from './step.ts';
