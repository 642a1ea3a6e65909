/**
 * A property is trusted only after it has failed (DieHard's idiom): for every property expected to
 * hold, a hand-made bad trace (concrete) and a bad state or step (abstract) that it must reject.
 * The bad traces are the real model's traces with one fact made false, or the real model run with
 * a switch that breaks the rule the property guards; each test also shows the honest trace passes.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterContext } from '../machines/clusterMachine.ts';
import type { Diagnosis } from '../machines/diagnose.ts';
import type { PhoneState } from '../model/cluster/clusterState.ts';
import { Role } from '../model/itl/tags.ts';
import { logOf, install, type Line } from '../test-support/scenario.ts';
import { safeAdvice } from './invariants.ts';
import {
  initialState,
  NO_KEY,
  normalItl,
  scopeOf,
  specStep,
  type SpecItl,
  type SpecState,
  type SpecStep,
} from './spec/index.ts';
import {
  adviceIsSafe,
  holdTimer,
  noUnverifiedItl,
  PROPERTIES,
  recoveryByDocumentedProcedure,
  recoveryNameStable,
  recoveryWithItlRecovery,
  regenerationsKeepTrust,
  replayDeterministic,
  snapshotReplay,
  violations,
  type Property,
} from './registry.ts';
import { traceOf, type Trace } from './trace.ts';

const A = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] };
const C = { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub'] };
const reset = (phone: string): Line => ({ type: 'phone.reset', phone });

/** The trace of scenario lines (a minute apart), with model options. */
const traceOfLines = (lines: Line[], options?: { holdTimer: boolean }) => traceOf(logOf(lines), options);

/** A deep copy of a trace whose context at `i` is changed by `edit` (the one fact made false). */
function tampered(trace: Trace, i: number, edit: (context: ClusterContext) => void): Trace {
  const contexts = trace.contexts.slice();
  contexts[i] = structuredClone(contexts[i]!);
  edit(contexts[i]!);
  return { ...trace, contexts };
}

const phoneIn = (context: ClusterContext, id: string): PhoneState => context.cluster!.phones.find((p) => p.id === id)!;

/** The first violation of one property anywhere in a trace, or undefined. */
const violationOf = (trace: Trace, property: Property) => violations(trace, [property])[0];

describe('every property expected to hold has a bad trace it rejects (concrete checks)', () => {
  it('should cover every property expected to hold', () => {
    const covered = [
      recoveryWithItlRecovery,
      recoveryByDocumentedProcedure,
      noUnverifiedItl,
      holdTimer,
      recoveryNameStable,
      regenerationsKeepTrust,
      adviceIsSafe,
      replayDeterministic,
      snapshotReplay,
    ];
    expect(covered.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      PROPERTIES.filter((p) => p.expectedToHold).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('recoveryWithItlRecovery: should reject a phone holding the reset key as ITLRECOVERY whose SAST record names another serial and whose TVS list is empty', () => {
    const honest = traceOfLines([install(), A, C]);
    expect(violationOf(honest, recoveryWithItlRecovery)).toBeUndefined();
    const bad = tampered(honest, 2, (context) => {
      const c = phoneIn(context, 'SEP00000000000C');
      const itl = structuredClone(context.cluster!.itls[c.itl!]!);
      for (const r of itl.records) if (r.role === Role.SAST && /ITLRECOVERY_/.test(r.subject)) r.serial = '00';
      itl.sha1 = 'f'.repeat(40);
      context.cluster!.itls[itl.sha1] = itl;
      Object.assign(c, { itl: itl.sha1, tvs: [] });
    });
    expect(violationOf(bad, recoveryWithItlRecovery)).toMatchObject({ at: 2, phone: 'SEP00000000000C' });
  });

  it('recoveryByDocumentedProcedure: should reject a 12.5 phone holding the localkey signer as SAST whose SAST records name other serials and whose TVS list is empty', () => {
    const honest = traceOfLines([install({ version: '12.5(1)SU3' }), A, C]);
    expect(violationOf(honest, recoveryByDocumentedProcedure)).toBeUndefined();
    const bad = tampered(honest, 2, (context) => {
      const c = phoneIn(context, 'SEP00000000000C');
      const itl = structuredClone(context.cluster!.itls[c.itl!]!);
      for (const r of itl.records) if (r.role === Role.SAST) r.serial = '00';
      itl.sha1 = 'f'.repeat(40);
      context.cluster!.itls[itl.sha1] = itl;
      Object.assign(c, { itl: itl.sha1, tvs: [] });
    });
    expect(violationOf(bad, recoveryByDocumentedProcedure)).toMatchObject({
      at: 2,
      phone: 'SEP00000000000C',
      why: expect.stringMatching(/locked after itl\.reset localkey \+ devices\.reset/),
    });
  });

  describe('noUnverifiedItl: the acceptances of mixed mode and the rollback ITL', () => {
    /** A 12.5 mixed-mode cluster; phone A took the CTL (C0), then its ITL erased, took the same ITL again by I1. */
    const mixed = traceOfLines([
      install({ version: '12.5(1)SU3' }),
      A,
      { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
      { type: 'devices.reset' },
      { type: 'phone.deleteItl', phone: 'SEP00000000000A' },
    ]);

    it('should pass a phone that took its ITL by a record of its CTL alone (I1) and reject it when the CTL names other serials', () => {
      expect(phoneIn(mixed.contexts[4]!, 'SEP00000000000A').lastDecision?.rule).toBe('I1');
      expect(violationOf(mixed, noUnverifiedItl)).toBeUndefined();
      const bad = { ...mixed, contexts: mixed.contexts.slice() };
      for (const i of [3, 4])
        bad.contexts[i] = tampered(mixed, i, (context) => {
          const a = phoneIn(context, 'SEP00000000000A');
          const ctl = structuredClone(context.cluster!.itls[a.ctl!.file]!);
          for (const r of ctl.records) if (r.role === Role.SAST || r.role === Role.CCM_TFTP) r.serial = '00';
          ctl.sha1 = 'e'.repeat(40);
          context.cluster!.itls[ctl.sha1] = ctl;
          a.ctl = { ...a.ctl!, file: ctl.sha1 };
        }).contexts[i]!;
      expect(violationOf(bad, noUnverifiedItl)).toMatchObject({
        at: 4,
        phone: 'SEP00000000000A',
        why: expect.stringMatching(/neither a SAST record of its ITL or CTL/),
      });
    });

    it('should pass a phone that took an ITL its empty rollback ITL does not anchor (R0e) and reject it when the old ITL was not the rollback ITL', () => {
      const rollback = traceOfLines([
        install(),
        C,
        { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true },
        { type: 'cert.regenerate', node: 'pub', cert: 'CallManager', after: 5 },
        { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: false, after: 10 },
      ]);
      const at = 4;
      expect(phoneIn(rollback.contexts[at]!, 'SEP00000000000C').lastDecision?.rule).toBe('R0e');
      expect(violationOf(rollback, noUnverifiedItl)).toBeUndefined();
      const bad = tampered(rollback, at - 1, (context) => {
        const c = phoneIn(context, 'SEP00000000000C');
        const { rollbackForm: _empty, ...normal } = context.cluster!.itls[c.itl!]!;
        context.cluster!.itls[c.itl!] = { ...normal, origin: 'normal' };
      });
      expect(violationOf(bad, noUnverifiedItl)).toMatchObject({ at, phone: 'SEP00000000000C' });
    });
  });

  describe('the rollback parameter: the reset ITL it re-signs is still the empty ITL (R0e, §17.2)', () => {
    const rollbackOn: Line = { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true };

    it('should pass a phone that took a forged ITL by R0e from the re-signed empty ITL (noUnverifiedItl)', () => {
      const forged = traceOfLines([
        install({ version: '12.5(1)SU3' }),
        C,
        rollbackOn,
        { type: 'itl.reset', node: 'pub', key: 'localkey' },
        reset('SEP00000000000C'),
        { type: 'tftp.forge', node: 'pub' },
        reset('SEP00000000000C'),
      ]);
      const c = phoneIn(forged.contexts[6]!, 'SEP00000000000C');
      expect([c.lastDecision?.rule, forged.contexts[6]!.cluster!.itls[c.itl!]!.origin]).toEqual(['R0e', 'forged']);
      expect(violationOf(forged, noUnverifiedItl)).toBeUndefined();
    });

    it('should recover a 12.5 phone by the documented procedure while the parameter is True (recoveryByDocumentedProcedure; check found it failing)', () => {
      const trace = traceOfLines([install({ version: '12.5(1)SU3' }), C, rollbackOn]);
      expect(violationOf(trace, recoveryByDocumentedProcedure)).toBeUndefined();
    });
  });

  describe('noUnverifiedItl: one bad trace per clause', () => {
    it('should reject a phone that replaced its ITL with a forged one', () => {
      const honest = traceOfLines([install(), A, { type: 'tftp.forge', node: 'pub' }, reset('SEP00000000000A')]);
      expect(violationOf(honest, noUnverifiedItl)).toBeUndefined();
      const forged = Object.values(honest.contexts[3]!.cluster!.itls).find((x) => x.origin === 'forged')!;
      const bad = tampered(honest, 3, (context) =>
        Object.assign(phoneIn(context, 'SEP00000000000A'), {
          itl: forged.sha1,
          trust: 'trusted',
          lastDecision: { rule: 'R2', reasons: [], event: 4 },
        }),
      );
      expect(violationOf(bad, noUnverifiedItl)?.why).toMatch(/replaced its ITL with a forged one/);
    });

    it('should reject a phone that installed its node’s genuine ITL with a broken signature', () => {
      const honest = traceOfLines([install(), A, { type: 'tftp.corrupt', node: 'pub' }, reset('SEP00000000000A')]);
      expect(violationOf(honest, noUnverifiedItl)).toBeUndefined();
      const broken = Object.values(honest.contexts[3]!.cluster!.itls).find((x) => x.corrupted)!;
      const bad = tampered(honest, 3, (context) =>
        Object.assign(phoneIn(context, 'SEP00000000000A'), {
          itl: broken.sha1,
          trust: 'trusted',
          lastDecision: { rule: 'R2', reasons: [], event: 4 },
        }),
      );
      expect(violationOf(bad, noUnverifiedItl)?.why).toMatch(
        /neither a SAST record of its ITL or CTL nor an authenticated TVS vouched for with a signature that verifies/,
      );
    });

    it('should reject a phone that took an ITL whose signer neither a SAST record nor a reachable TVS vouched for', () => {
      const lockC: Line[] = [
        install(),
        A,
        C,
        { type: 'phone.power', phone: 'SEP00000000000C', on: false },
        { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
        { type: 'cert.regenerate', node: 'pub', cert: 'TVS', after: 6 },
        { type: 'phone.power', phone: 'SEP00000000000C', on: true, after: 3 },
      ];
      const honest = traceOfLines(lockC);
      const last = honest.events.length - 1;
      expect(phoneIn(honest.contexts[last]!, 'SEP00000000000C').trust).toBe('locked');
      expect(violationOf(honest, noUnverifiedItl)).toBeUndefined();
      const served = honest.contexts[last]!.cluster!.nodes.find((n) => n.id === 'pub')!.tftp!.normalItl;
      const bad = tampered(honest, last, (context) =>
        Object.assign(phoneIn(context, 'SEP00000000000C'), {
          itl: served,
          trust: 'trusted',
          lastDecision: { rule: 'R3', reasons: [], event: last + 1 },
        }),
      );
      expect(violationOf(bad, noUnverifiedItl)).toMatchObject({ at: last, phone: 'SEP00000000000C' });
    });
  });

  it('holdTimer: should reject two accepted regenerations on one node at the same time (the model run without its hold timer)', () => {
    const lines: Line[] = [
      install(),
      A,
      { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
      { type: 'cert.regenerate', node: 'pub', cert: 'TVS', after: 0 },
    ];
    expect(violationOf(traceOfLines(lines), holdTimer)).toBeUndefined();
    expect(violationOf(traceOfLines(lines, { holdTimer: false }), holdTimer)).toMatchObject({ at: 3 });
  });

  it('holdTimer: should accept a regeneration on a rebuilt publisher within 300 s of one before the rebuild (it clears the timer, §7), and not on a subscriber', () => {
    const rebuilt = (node: string): Line[] => [
      install({ version: '12.5(1)SU3' }),
      { type: 'cert.regenerate', node, cert: 'CAPF' },
      { type: 'publisher.rebuild' },
      { type: 'cert.regenerate', node, cert: 'TVS' },
    ];
    expect(violationOf(traceOfLines(rebuilt('pub')), holdTimer)).toBeUndefined();
    // The subscriber keeps its timer: the model refuses the second one, and with the timer off the property catches it.
    expect(violationOf(traceOfLines(rebuilt('sub'), { holdTimer: false }), holdTimer)).toMatchObject({ at: 3 });
  });

  it('recoveryNameStable: should reject a rename that renamed the recovery key', () => {
    const honest = traceOfLines([install(), A, { type: 'node.rename', node: 'pub', hostname: 'pub2' }]);
    expect(violationOf(honest, recoveryNameStable)).toBeUndefined();
    const bad = tampered(
      honest,
      2,
      (context) => void (context.cluster!.nodes.find((n) => n.id === 'pub')!.recoveryFqdn = 'pub2.example.lab'),
    );
    expect(violationOf(bad, recoveryNameStable)?.why).toMatch(
      /node\.rename renamed the recovery key pub\.example\.lab -> pub2\.example\.lab/,
    );
  });

  it('regenerationsKeepTrust: should reject the single-TVS phone locked by CallManager then TVS regenerated at the same time (no hold timer)', () => {
    const lines: Line[] = [
      install(),
      C,
      { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
      { type: 'cert.regenerate', node: 'pub', cert: 'TVS', after: 0 },
    ];
    expect(violationOf(traceOfLines(lines), regenerationsKeepTrust)).toBeUndefined();
    expect(violationOf(traceOfLines(lines, { holdTimer: false }), regenerationsKeepTrust)).toMatchObject({
      phone: 'SEP00000000000C',
    });
  });

  it('adviceIsSafe: should reject advising an ITL erase to a phone whose TFTP node an attacker impersonates', () => {
    const trace = traceOfLines([install(), A, { type: 'tftp.forge', node: 'pub' }, reset('SEP00000000000A')]);
    expect(violationOf(trace, adviceIsSafe)).toBeUndefined();
    const naive = (_: ClusterContext, phone: string, at: string): Diagnosis => ({
      phone,
      failures: [],
      ctlFailures: [],
      recovery: 'manual-itl-delete',
      remedy: [{ type: 'phone.deleteItl', at, phone }],
      advice: { recovery: 'manual-itl-delete', publisher: { id: 'pub', hostname: 'pub' } },
    });
    expect(safeAdvice(naive)(trace, 3)).toMatchObject({
      phone: 'SEP00000000000A',
      why: expect.stringMatching(/leaves SEP00000000000A trusting an attacker's ITL/),
    });
  });

  it('adviceIsSafe: should not blame the advice for a phone whose automatic restart under way ends on a forged node', () => {
    // Found by `check` on its random logs. A holds the empty rollback ITL and is restarting (the
    // domain change) when pub's TFTP is forged: once back it takes the forgery (R0e), advice or not.
    // C, locked on sub, is advised an erase, which is safe: sub is genuine.
    const trace = traceOfLines([
      install({ version: '11.5(1)SU8' }),
      { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true },
      A,
      { type: 'tftp.corrupt', node: 'sub' },
      { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'sub', tvs: ['sub', 'pub'] },
      reset('SEP00000000000C'),
      { type: 'tftp.forge', node: 'pub' },
      { type: 'cluster.domain', domain: 'other.lab' },
    ]);
    const at = 7;
    expect(phoneIn(trace.contexts[at]!, 'SEP00000000000C').trust).toBe('locked');
    expect(phoneIn(trace.contexts[at]!, 'SEP00000000000A').restartingUntil).toBeDefined();
    expect(violationOf(trace, adviceIsSafe)).toBeUndefined();
  });

  it('replayDeterministic: should reject a trace whose last context differs from a second replay of its log', () => {
    const honest = traceOfLines([install(), A]);
    expect(violationOf(honest, replayDeterministic)).toBeUndefined();
    const bad = tampered(
      honest,
      1,
      (context) => void (phoneIn(context, 'SEP00000000000A').status = 'Trust List Update Failed'),
    );
    expect(violationOf(bad, replayDeterministic)).toMatchObject({ at: 1 });
  });

  it('snapshotReplay: should reject a trace whose snapshot after an event does not resume to its last context', () => {
    const honest = traceOfLines([install(), A, reset('SEP00000000000A')]);
    expect(violationOf(honest, snapshotReplay)).toBeUndefined();
    const bad = tampered(honest, 0, (context) => void (context.cluster!.domain = 'other.lab'));
    expect(violationOf(bad, snapshotReplay)).toMatchObject({ at: 0 });
  });
});

describe('every abstract check has a bad state or step it rejects', () => {
  const scope = scopeOf(2, 3);
  /** The install with phone C (TVS list [pub]) plugged in, holding pub's ITL. */
  const withC = (): SpecState => specStep(initialState(scope), scope, { kind: 'add', phone: 2 }).state;
  const step = (state: SpecState, extra: Partial<SpecStep> = {}): SpecStep => ({
    state,
    regenWithinHold: false,
    locked: -1,
    rules: 0,
    booted: 0,
    ...extra,
  });

  it('recoveryWithItlRecovery: should reject a phone whose ITLRECOVERY record is the reset key but no SAST record is', () => {
    const s = withC();
    expect(recoveryWithItlRecovery.abstract!.state!(s, scope)).toBeNull();
    const itl = s.phones[2]!.itl!;
    s.phones[2]!.itl = { ...itl, sastB: itl.sastA, tvs: itl.tvs.map(() => NO_KEY) };
    expect(recoveryWithItlRecovery.abstract!.state!(s, scope)).toMatch(/phone 2 not trusted/);
  });

  it('recoveryByDocumentedProcedure: should reject a 12.5 phone holding the localkey signer as SAST that a rejected CTL keeps locked', () => {
    const s125 = scopeOf(2, 3, { release: '12.5' });
    const s = specStep(initialState(s125), s125, { kind: 'add', phone: 2 }).state;
    expect(recoveryByDocumentedProcedure.abstract!.state!(s, s125)).toBeNull();
    expect(
      s.phones[2]!.itl!.sastA === s.nodes[0]!.callManager || s.phones[2]!.itl!.sastB === s.nodes[0]!.callManager,
    ).toBe(true);
    s.phones[2]!.ctl = { signer: 90, sastA: 90, sastB: 91, ccm: [90, 90] };
    s.phones[2]!.ctlRejected = true;
    expect(recoveryByDocumentedProcedure.abstract!.state!(s, s125)).toMatch(
      /phone 2 not trusted after itlReset \+ devicesReset/,
    );
  });

  describe('noUnverifiedItl: one bad step per clause', () => {
    const before = withC();
    const after = (itl: SpecItl) => {
      const s = structuredClone(before);
      s.phones[2]!.itl = itl;
      return step(s);
    };
    const genuine = normalItl(before, 0);
    const reset = { kind: 'reset', phone: 2 } as const;

    it('should pass a step to an ITL signed by a SAST key of the old one', () => {
      expect(noUnverifiedItl.abstract!.step!(before, reset, after({ ...genuine, tvs: [99, 98] }), scope)).toBeNull();
    });

    it('should reject a step to a forged ITL', () => {
      expect(noUnverifiedItl.abstract!.step!(before, reset, after({ ...genuine, forged: true }), scope)).toMatch(
        /forged/,
      );
    });

    it('should reject a step to an ITL with a broken signature', () => {
      const broken = { ...genuine, bad: true, tvs: [77, ...genuine.tvs.slice(1)] };
      expect(noUnverifiedItl.abstract!.step!(before, reset, after(broken), scope)).toMatch(/signature does not verify/);
    });

    it('should reject the same ITL taken again after the step erased it, unless the CTL the phone holds vouches for its signer (I1)', () => {
      const held = structuredClone(before);
      held.phones[2]!.ctl = { signer: 90, sastA: 90, sastB: 91, ccm: [90, 90] };
      const erase = { kind: 'deleteItl', phone: 2 } as const;
      const again = step(structuredClone(held));
      expect(noUnverifiedItl.abstract!.step!(held, erase, again, scope)).toMatch(/neither a SAST record/);
      const vouching = structuredClone(held);
      vouching.phones[2]!.ctl = { signer: 90, sastA: genuine.signer, sastB: 91, ccm: [90, 90] };
      expect(noUnverifiedItl.abstract!.step!(vouching, erase, step(structuredClone(vouching)), scope)).toBeNull();
    });

    it('should reject a step to an ITL signed by a key neither a SAST record nor a reachable TVS vouches for', () => {
      expect(noUnverifiedItl.abstract!.step!(before, reset, after({ ...genuine, signer: 99 }), scope)).toMatch(
        /neither a SAST record/,
      );
    });
  });

  it('holdTimer: should reject an accepted regeneration while its node’s timer runs (the model without its hold timer)', () => {
    const off = scopeOf(2, 3, { holdTimer: false });
    const first = specStep(withC(), off, { kind: 'regen', node: 0, cert: 'CallManager' });
    expect(holdTimer.abstract!.step!(withC(), { kind: 'regen', node: 0, cert: 'CallManager' }, first, off)).toBeNull();
    const second = specStep(first.state, off, { kind: 'regen', node: 0, cert: 'TVS' });
    expect(holdTimer.abstract!.step!(first.state, { kind: 'regen', node: 0, cert: 'TVS' }, second, off)).toMatch(
      /within 300 s/,
    );
  });

  it('regenerationsKeepTrust: should reject the step that locks phone C when CallManager and TVS changed while it restarted (no hold timer)', () => {
    const off = scopeOf(2, 3, { holdTimer: false });
    let s = withC();
    for (const cert of ['CallManager', 'TVS'] as const) s = specStep(s, off, { kind: 'regen', node: 0, cert }).state;
    const back = specStep(s, off, { kind: 'back' });
    expect(regenerationsKeepTrust.abstract!.step!(s, { kind: 'back' }, back, off)).toMatch(/phone 2 locked/);
  });
});
