/** The phones' actions (docs/rules.md §4, §12): plugged in, reset, powered, ITL or CTL erased, TFTP changed, Reset all. Each changes only the phones (Action.phonesOnly). */
import { always, type ActionTable } from './action.ts';
import { NO_NODE } from './constants.ts';
import { boot, bootEveryOnline } from './effects.ts';
import type { PhoneEvent } from './events.ts';
import type { SpecState } from './state.ts';

/** The phone the event names is plugged in already. */
const added = (s: SpecState, e: PhoneEvent): boolean => s.phones[e.phone]!.added;

export const phoneActions = {
  /** `phone.add`: a factory-new phone is plugged in and boots (R0 takes its first ITL). */
  add: {
    phonesOnly: true,
    enabled: (s, e) => !s.phones[e.phone]!.added,
    effect: (s, scope, e, step) => {
      const phone = s.phones[e.phone]!;
      phone.added = true;
      phone.online = true;
      boot(s, scope, e.phone, step);
    },
  },

  /** `phone.reset`: a powered-on phone boots; an unplugged one ignores it. */
  reset: {
    phonesOnly: true,
    enabled: added,
    effect: (s, scope, e, step) => {
      if (s.phones[e.phone]!.online) boot(s, scope, e.phone, step);
    },
  },

  /** `phone.power`: plugged in, it boots; unplugged, its automatic restart (if any) is cancelled (A14). */
  power: {
    phonesOnly: true,
    enabled: (s, e) => added(s, e) && s.phones[e.phone]!.online !== e.on,
    effect: (s, scope, e, step) => {
      const phone = s.phones[e.phone]!;
      const was = phone.online;
      phone.online = e.on;
      if (!e.on) {
        phone.restartRank = 0;
        phone.timersBefore = 0;
      }
      if (e.on && !was) boot(s, scope, e.phone, step);
    },
  },

  /** `phone.deleteItl` (§12): the ITL is erased from the settings menu; a powered-on phone boots, so R0 applies. */
  deleteItl: {
    phonesOnly: true,
    enabled: added,
    effect: (s, scope, e, step) => {
      const phone = s.phones[e.phone]!;
      phone.itl = null;
      phone.trust = 'noItl';
      if (phone.online) boot(s, scope, e.phone, step);
    },
  },

  /**
   * `phone.deleteCtl` (docs/rules.md §12): the CTL is erased from the settings menu and a powered-on
   * phone boots, so it takes the next CTL on first sight (C0, A20). Enabled when the phone holds a CTL
   * (without one it is a plain reset).
   */
  deleteCtl: {
    phonesOnly: true,
    enabled: (s, e) => added(s, e) && s.phones[e.phone]!.ctl !== null,
    effect: (s, scope, e, step) => {
      const phone = s.phones[e.phone]!;
      phone.ctl = null;
      phone.ctlRejected = false;
      if (phone.online) boot(s, scope, e.phone, step);
    },
  },

  /** `phone.tftp`: a new TFTP node (option 150), taken at the next boot. Enabled only when it changes where the phone boots from. */
  phoneTftp: {
    phonesOnly: true,
    enabled: (s, e) => {
      const phone = s.phones[e.phone]!;
      return phone.added && phone.pendingTftp !== e.node && !(phone.pendingTftp === NO_NODE && phone.tftp === e.node);
    },
    effect: (s, _scope, e) => {
      s.phones[e.phone]!.pendingTftp = e.node;
    },
  },

  /** `devices.reset` (Reset all): every powered-on phone boots at once. */
  devicesReset: {
    phonesOnly: true,
    enabled: always,
    effect: (s, scope, _e, step) => bootEveryOnline(s, scope, step),
  },
} satisfies ActionTable<'add' | 'reset' | 'power' | 'deleteItl' | 'deleteCtl' | 'phoneTftp' | 'devicesReset'>;
