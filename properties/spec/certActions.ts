/**
 * The cluster's certificate actions (docs/rules.md §6, §7, §10): `set cert regen` under the hold
 * timer, renames and domain changes, the upgrade to 10.x, and the publisher rebuilt without its keys.
 */
import { always, type ActionTable } from './action.ts';
import { PUBLISHER } from './constants.ts';
import { certsChanged, freshKey, rekey, startHold, startTftp, stopHold } from './effects.ts';

export const certActions = {
  /**
   * `set cert regen` (§6, §7). Refused: CAPF on a subscriber (CAPF runs on the publisher), ITLRecovery
   * before 10.0, and any certificate while the node's hold timer runs. Accepted, it starts the node's
   * timer (A13); CallManager rebuilds the node's ITL, TVS and CAPF every ITL, and phones reset (A14).
   * A new ITLRecovery is used by localkey at once, and reaches ITLs only at a TFTP start (A9, A10).
   */
  regen: {
    enabled: always,
    refusal: (s, scope, e) => {
      if (e.cert === 'CAPF' && e.node !== PUBLISHER) return 'capfNotOnNode';
      if (e.cert === 'ITLRecovery' && s.pre10) return 'noItlRecovery';
      return scope.holdTimer && s.nodes[e.node]!.holdRank > 0 ? 'holdTimer' : null;
    },
    effect: (s, _scope, e, step) => {
      const node = s.nodes[e.node]!;
      step.regenWithinHold = node.holdRank > 0;
      startHold(s, e.node);
      if (e.cert === 'CallManager') node.callManager = freshKey(s);
      if (e.cert === 'TVS') node.tvs = freshKey(s);
      if (e.cert === 'ITLRecovery') {
        if (e.node === PUBLISHER) s.itlRecovery = freshKey(s);
        return;
      }
      certsChanged(s, e.cert === 'CallManager' ? e.node : null, true);
    },
  },

  /** `node.rename`: the node's CallManager and TVS are new; every ITL is rebuilt, phones reset; no hold timer (A13). */
  rename: {
    enabled: always,
    effect: (s, _scope, e) => {
      rekey(s, e.node);
      certsChanged(s, null, false);
    },
  },

  /** `cluster.domain`: every node's CallManager and TVS are new; every ITL is rebuilt, phones reset. */
  domain: {
    enabled: always,
    effect: (s) => {
      for (let n = 0; n < s.nodes.length; n++) rekey(s, n);
      certsChanged(s, null, false);
    },
  },

  /** `cluster.upgrade` to 10.x: from before 10.0 the publisher gets its ITLRecovery key; every TFTP restarts (A10). */
  upgrade: {
    enabled: always,
    effect: (s) => {
      if (s.pre10) {
        s.pre10 = false;
        s.itlRecovery = freshKey(s);
      }
      for (let n = 0; n < s.nodes.length; n++) startTftp(s, n);
    },
  },

  /**
   * `publisher.rebuild` (§10): reinstalled without its keys, the publisher gets new CallManager, TVS
   * and ITLRecovery, its hold timer stops and its TFTP starts; every other ITL is rebuilt (still with
   * the ITLRecovery it loaded, A10). No phone is reset (model choice).
   */
  rebuild: {
    enabled: always,
    effect: (s) => {
      rekey(s, PUBLISHER);
      if (!s.pre10) s.itlRecovery = freshKey(s);
      stopHold(s, PUBLISHER);
      startTftp(s, PUBLISHER);
      for (const node of s.nodes) {
        node.servesReset = false;
        node.corrupt = false;
      }
    },
  },
} satisfies ActionTable<'regen' | 'rename' | 'domain' | 'upgrade' | 'rebuild'>;
