import { describe, expect, it } from 'vitest';
import { createActor, type SnapshotFrom } from 'xstate';
import { signerMachine } from '../../machines/signerMachine.ts';
import { INITIAL_SIGNER, signerStep, type SignerEvent, type SignerState } from './signer.ts';

const SERVING = ['normal', 'reset', 'forged'] as const;
const FILE = ['intact', 'corrupted'] as const;
const RECOVERY = ['loaded', 'pending'] as const;
const ROLLBACK = ['off', 'on'] as const;
const EVENTS: SignerEvent['type'][] = [
  'START',
  'RESET',
  'LOADED',
  'ROLLBACK_ON',
  'ROLLBACK_OFF',
  'REBUILT',
  'FORGE',
  'CORRUPT',
  'RECOVERY_CHANGED',
];

/** Every signer state: 3 × 2 × 2 × 2. */
const ALL: SignerState[] = SERVING.flatMap((serving) =>
  FILE.flatMap((file) =>
    RECOVERY.flatMap((recovery) => ROLLBACK.map((rollback): SignerState => ({ serving, file, recovery, rollback }))),
  ),
);

/** The signer machine's next state from `s` on `event`: the machine, which the node persists, is the authority. */
function machineStep(s: SignerState, event: SignerEvent): SignerState {
  const start = signerMachine.resolveState({ value: { ...s } });
  const actor = createActor(signerMachine, { snapshot: start as SnapshotFrom<typeof signerMachine> }).start();
  actor.send(event);
  const value = actor.getSnapshot().value as unknown as SignerState;
  actor.stop();
  return { serving: value.serving, file: value.file, recovery: value.recovery, rollback: value.rollback };
}

describe('signerStep, the model’s own decision of a TFTP node’s signer (docs/rules.md §6, §8, §11)', () => {
  it('should start a new node serving its own intact ITL, with the current ITLRecovery and no rollback', () => {
    expect(INITIAL_SIGNER).toEqual({ serving: 'normal', file: 'intact', recovery: 'loaded', rollback: 'off' });
    expect(machineStep(INITIAL_SIGNER, { type: 'LOADED' })).toEqual(INITIAL_SIGNER);
  });

  it('should agree with the signer machine on every event from every state (24 states × 9 events)', () => {
    const differ = ALL.flatMap((s) =>
      EVENTS.map((type) => ({ s, type, model: signerStep(s, { type }), machine: machineStep(s, { type }) })).filter(
        (r) => JSON.stringify(r.model) !== JSON.stringify(r.machine),
      ),
    );
    expect(differ).toEqual([]);
  });

  it('A12: should keep an impersonation through `utils itl reset` and rebuilds, and end it only at a TFTP start', () => {
    const forged: SignerState = { ...INITIAL_SIGNER, serving: 'forged' };
    for (const type of ['RESET', 'REBUILT', 'ROLLBACK_ON', 'ROLLBACK_OFF', 'LOADED', 'CORRUPT'] as const)
      expect(signerStep(forged, { type }).serving).toBe('forged');
    expect(signerStep(forged, { type: 'START' }).serving).toBe('normal');
  });

  it('Q5: should serve the reset ITL from `utils itl reset` until the node writes its own file again', () => {
    const reset = signerStep(INITIAL_SIGNER, { type: 'RESET' });
    expect(reset.serving).toBe('reset');
    for (const type of ['LOADED', 'CORRUPT', 'RECOVERY_CHANGED'] as const)
      expect(signerStep(reset, { type }).serving).toBe('reset');
    for (const type of ['START', 'REBUILT', 'ROLLBACK_ON', 'ROLLBACK_OFF'] as const)
      expect(signerStep(reset, { type }).serving).toBe('normal');
    expect(signerStep(reset, { type: 'FORGE' }).serving).toBe('forged');
  });

  it('should end a corrupted transfer at any new file, and not otherwise', () => {
    const broken = signerStep(INITIAL_SIGNER, { type: 'CORRUPT' });
    expect(broken).toEqual({ ...INITIAL_SIGNER, file: 'corrupted' });
    for (const type of ['START', 'RESET', 'REBUILT', 'ROLLBACK_ON', 'ROLLBACK_OFF'] as const)
      expect(signerStep(broken, { type }).file).toBe('intact');
    for (const type of ['LOADED', 'FORGE', 'RECOVERY_CHANGED'] as const)
      expect(signerStep(broken, { type }).file).toBe('corrupted');
  });

  it('A10: should load a changed ITLRecovery at the next TFTP start or load, and keep the rollback parameter (A25) across a start', () => {
    const pending = signerStep({ ...INITIAL_SIGNER, rollback: 'on' }, { type: 'RECOVERY_CHANGED' });
    expect(pending).toEqual({ ...INITIAL_SIGNER, rollback: 'on', recovery: 'pending' });
    expect(signerStep(pending, { type: 'RESET' }).recovery).toBe('pending');
    expect(signerStep(pending, { type: 'LOADED' })).toEqual({ ...pending, recovery: 'loaded' });
    expect(signerStep(pending, { type: 'START' })).toEqual({ ...INITIAL_SIGNER, rollback: 'on' });
    expect(signerStep(INITIAL_SIGNER, { type: 'ROLLBACK_ON' }).rollback).toBe('on');
    expect(signerStep({ ...INITIAL_SIGNER, rollback: 'on' }, { type: 'ROLLBACK_OFF' }).rollback).toBe('off');
  });
});
