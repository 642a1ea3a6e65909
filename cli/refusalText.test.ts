import { describe, expect, it } from 'vitest';
import { refusalText } from './refusalText.ts';

/* What the report prints for a refused command: CUCM's own words where docs/log-format.md quotes them, else the model's marked "(model)". */
describe('refusalText', () => {
  it("should print A28's refusal of a reset under a 1024-bit ITLRecovery, marked as the model's (A28)", () => {
    expect(refusalText({ kind: 'recoveryKeyTooShort', command: 'ctl.reset' })).toBe(
      '(model, A28) ITLRecovery key length (1024) does not match the server certificates; the reset file was not generated',
    );
  });

  it('should say a parameter of a later release changed nothing, naming the release it comes in and the cluster’s', () => {
    expect(
      refusalText({ kind: 'notInRelease', feature: 'phoneInteractionOnCertificateUpdate', version: '10.5(2)' }),
    ).toBe('(model) Phone Interaction on Certificate Update exists from 14 (cluster runs 10.5(2)); nothing changed');
  });
});
