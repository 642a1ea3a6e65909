import { describe, it } from 'vitest';
import { replay } from '../machines/replay.ts';
import { logArb } from './arbitraries.ts';
import { assertReproducible } from '../test-support/assertReproducible.ts';

describe('symbolicCrypto refines realCrypto', () => {
  it('should give identical phone states with real and symbolic crypto when random logs are replayed', () => {
    assertReproducible(
      logArb(14),
      (log) => {
        const real = replay(log.events, { crypto: 'real' }).final.cluster!.phones;
        const symbolic = replay(log.events, { crypto: 'symbolic' }).final.cluster!.phones;
        const a = JSON.stringify(real);
        return a === JSON.stringify(symbolic)
          ? null
          : `phones differ: real ${a} vs symbolic ${JSON.stringify(symbolic)}`;
      },
      60,
    );
  });
});
