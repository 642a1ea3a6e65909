/** The TFTP services' actions (docs/rules.md §6, §11, §11b): a restart, an attacker impersonating a node, a corrupted transfer. */
import { always, type ActionTable } from './action.ts';
import { freshKey, startTftp } from './effects.ts';

export const tftpActions = {
  /** `tftp.restart`: the node loads the publisher's ITLRecovery (A10) and serves its own new ITL, ending a reset ITL (Q5) and a forgery (A12). */
  tftpRestart: {
    clusterOnly: true,
    enabled: always,
    effect: (s, _scope, e) => startTftp(s, e.node),
  },

  /** `tftp.forge` (A12): an attacker with a key of its own impersonates the node's TFTP until its next start. */
  forge: {
    clusterOnly: true,
    enabled: always,
    effect: (s, _scope, e) => {
      s.nodes[e.node]!.attacker = freshKey(s);
    },
  },

  /** `tftp.corrupt`: the file the node serves reaches phones with a broken signature, until the node writes a new one. */
  corrupt: {
    clusterOnly: true,
    enabled: always,
    effect: (s, _scope, e) => {
      s.nodes[e.node]!.corrupt = true;
    },
  },
} satisfies ActionTable<'tftpRestart' | 'forge' | 'corrupt'>;
