import { describe, expect, it } from 'vitest';
import type { PhoneState } from '../cluster/clusterState.ts';
import { Decisions, shapeKeys } from './phoneShape.ts';

/**
 * A phone with every field of PhoneState set: `Required` makes the compiler refuse this file when a
 * field is added to PhoneState and not here, so the test below covers every field there is.
 */
const full: Required<PhoneState> = {
  id: 'SEP00000000000A',
  tftp: 'pub',
  pendingTftp: 'sub',
  tvs: ['pub', 'sub'],
  firmware: '12.8(1)',
  online: true,
  itl: 'a'.repeat(40),
  trust: 'trusted',
  status: 'Trust List Updated',
  lastDecision: { rule: 'R2', failures: [], event: 4 },
  configAccepted: true,
  hasConfig: true,
  restartingUntil: '2024-01-01T00:10:00.000Z',
  lockedAt: 3,
  recoveredAt: 4,
  ctl: { file: 'b'.repeat(40), state: 'installed', rule: 'C1', failures: [], event: 4 },
  unloadableItl: 'c'.repeat(40),
  sbd: false,
  securityProfile: 'encrypted',
};

/** Another value for each field (the type is Required only to list every field). */
const other: Required<PhoneState> = {
  id: 'SEP00000000000B',
  tftp: 'sub',
  pendingTftp: 'pub',
  tvs: ['sub', 'pub'],
  firmware: '12.8(2)',
  online: false,
  itl: null,
  trust: 'locked',
  status: 'Trust List Update Failed',
  lastDecision: { rule: 'R3', failures: [], event: 4 },
  configAccepted: false,
  hasConfig: false,
  restartingUntil: '2024-01-01T00:10:01.000Z',
  lockedAt: 4,
  recoveredAt: 5,
  ctl: { file: 'b'.repeat(40), state: 'rejected', rule: 'C1', failures: [], event: 4 },
  unloadableItl: 'd'.repeat(40),
  // sbd is false or absent: its other value is absence.
  sbd: undefined as unknown as false,
  securityProfile: 'authenticated',
};

describe('phone shapes', () => {
  it('should give phones equal but for their id one key', () => {
    const key = shapeKeys();
    expect(key({ ...full, id: 'SEP00000000000F', tvs: [...full.tvs] })).toBe(key(full));
  });

  it('should give a phone another key when any field but its id changes', () => {
    const key = shapeKeys();
    const fields = Object.keys(full).filter((f) => f !== 'id') as (keyof PhoneState)[];
    // (lastDecision and ctl change here in more than the event stamped in them.)
    expect(fields).toHaveLength(18);
    for (const field of fields) expect(key({ ...full, [field]: other[field] }), field).not.toBe(key(full));
  });

  it('should tell a field left out from one set to undefined, and values that print alike', () => {
    const key = shapeKeys();
    const { pendingTftp: _, ...without } = full;
    expect(key(without)).not.toBe(key({ ...without, pendingTftp: undefined }));
    // The number 3 and the string "3", a string and an object whose JSON is that string.
    expect(key({ ...full, lockedAt: 3 })).not.toBe(key({ ...full, lockedAt: '3' as unknown as number }));
    expect(key({ ...full, status: JSON.stringify(full.tvs) })).not.toBe(
      key({ ...full, status: full.tvs as unknown as string }),
    );
  });

  it('should give phones that differ only in the events stamped in their decision and CTL one key', () => {
    const key = shapeKeys();
    const restamped = { ...full, lastDecision: { ...full.lastDecision, event: 9 }, ctl: { ...full.ctl, event: 8 } };
    expect(key(restamped)).toBe(key(full));
    // A stamp is not a field like another: an object without one is another shape.
    const { event: _, ...unstamped } = full.ctl;
    expect(key({ ...full, ctl: unstamped as PhoneState['ctl'] })).not.toBe(key(full));
  });
});

describe('the decisions of a step', () => {
  const twin: PhoneState = { ...full, id: 'SEP00000000000C', ctl: { ...full.ctl, event: 2 } };

  it('should decide a shape once and keep each phone its own id and the stamps the decision left alone', () => {
    const decisions = new Decisions(7);
    let runs = 0;
    const boot = (phone: PhoneState) => () => {
      runs++;
      return { ...phone, status: 'Trust List Updated', lastDecision: { rule: 'R2' as const, failures: [], event: 7 } };
    };
    const first = decisions.decide(full, 'BOOT', boot(full));
    const second = decisions.decide(twin, 'BOOT', boot(twin));
    expect(runs).toBe(1);
    expect(second).toEqual({ ...first, id: twin.id, ctl: twin.ctl });
    expect(second.lastDecision).toEqual({ rule: 'R2', failures: [], event: 7 });
  });

  it('should decide again when a stamped object was changed but kept its old stamp', () => {
    const decisions = new Decisions(7);
    let runs = 0;
    const reject = (phone: PhoneState) => () => {
      runs++;
      return { ...phone, ctl: { ...phone.ctl!, state: 'rejected' as const } };
    };
    decisions.decide(full, 'CTL', reject(full));
    const second = decisions.decide(twin, 'CTL', reject(twin));
    expect(runs).toBe(2);
    expect(second.ctl).toEqual({ ...twin.ctl, state: 'rejected' });
  });

  it('should decide kinds of event apart', () => {
    const decisions = new Decisions(7);
    decisions.decide(full, 'ERASE', () => ({ ...full, itl: null }));
    expect(decisions.decide({ ...full, id: 'SEP00000000000D' }, 'RESTART', () => full).itl).toBe(full.itl);
  });
});
