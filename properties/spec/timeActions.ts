/**
 * Time passing (docs/rules.md §6 A14, §7), as order only: `wait` (the oldest running hold timer
 * expires) and `back` (the earliest automatic restart under way ends). A timer started at or after
 * a reset expires after the reset's phones are back (AUTO_RESTART_SECONDS < HOLD_SECONDS); one
 * started before may expire either way (`SpecPhone.timersBefore`).
 */
import type { ActionTable } from './action.ts';
import { boot, stopHold } from './effects.ts';

export const timeActions = {
  /** The oldest hold timer expires: enabled while one runs and it started before every restart under way. */
  wait: {
    enabled: (s) => s.nodes.some((n) => n.holdRank > 0) && s.phones.every((p) => !p.restartRank || p.timersBefore > 0),
    effect: (s) => {
      const oldest = s.nodes.findIndex((n) => n.holdRank === 1);
      if (oldest >= 0) stopHold(s, oldest);
    },
  },

  /** The earliest automatic restart ends (A14): its phones boot against the world as it is now. */
  back: {
    phonesOnly: true,
    enabled: (s) => s.phones.some((p) => p.restartRank > 0),
    effect: (s, scope, _e, step) => {
      let first = Infinity;
      for (const p of s.phones) if (p.restartRank && p.restartRank < first) first = p.restartRank;
      for (let i = 0; i < s.phones.length; i++) if (s.phones[i]!.restartRank === first) boot(s, scope, i, step);
    },
  },
} satisfies ActionTable<'wait' | 'back'>;
