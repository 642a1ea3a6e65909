/**
 * Mixed mode's commands (docs/rules.md §16.1–§16.3): `utils ctl set-cluster mixed-mode`, `utils ctl
 * update CTLFile`, `utils ctl reset localkey`. Each runs on the publisher only (A36), writes the
 * cluster's one CTL from the current certificates, served by every node at once, and resets no phone
 * (A22); none touches the ITLs. `set-cluster non-secure-mode` is left out of the abstract scope.
 */
import { always, type ActionTable } from './action.ts';
import { PUBLISHER } from './constants.ts';
import type { SpecRefusalKind } from './refusals.ts';
import { buildCtl, ctlSigner } from './rules.ts';
import type { SpecState } from './state.ts';

/** Why `update CTLFile` or `reset localkey` is refused: off the publisher (A36), or no CTL was ever written. Pure. */
const ctlRefusal = (s: SpecState, node: number): SpecRefusalKind | null =>
  node !== PUBLISHER ? 'notPublisher' : s.ctl === null ? 'noCtl' : null;

export const ctlActions = {
  /** `utils ctl set-cluster mixed-mode`: refused off the publisher; the CTL, signed by the release's CTL signer (ITLRecovery from 12.0). */
  ctlSetCluster: {
    clusterOnly: true,
    enabled: always,
    refusal: (_s, _scope, e) => (e.node !== PUBLISHER ? 'notPublisher' : null),
    effect: (s) => {
      s.ctl = buildCtl(s, ctlSigner(s));
    },
  },

  /** `utils ctl update CTLFile`: the CTL rebuilt from the current certificates, signed by the release's CTL signer. */
  ctlUpdate: {
    clusterOnly: true,
    enabled: always,
    refusal: (s, _scope, e) => ctlRefusal(s, e.node),
    effect: (s) => {
      s.ctl = buildCtl(s, ctlSigner(s));
    },
  },

  /** `utils ctl reset localkey`: the CTL rebuilt (the current ITLRecovery inside) and signed by the publisher's CallManager (CLI125). */
  ctlReset: {
    clusterOnly: true,
    enabled: always,
    refusal: (s, _scope, e) => ctlRefusal(s, e.node),
    effect: (s) => {
      s.ctl = buildCtl(s, s.nodes[PUBLISHER]!.callManager);
    },
  },
} satisfies ActionTable<'ctlSetCluster' | 'ctlUpdate' | 'ctlReset'>;
