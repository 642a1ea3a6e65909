import { createHash } from 'node:crypto';

/**
 * A deterministic byte stream derived from a seed string (SHA-256 in counter mode).
 * Replay must be a pure function of the log, so every "random" value of the model
 * (keys, serials, the CAPF suffix) is drawn from one of these, seeded by what the log says. Pure.
 */
export function byteStream(seed: string): (length: number) => Buffer {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (length: number) => {
    while (pool.length < length) {
      const block = createHash('sha256').update(seed).update('\u0000').update(String(counter++)).digest();
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, length);
    pool = pool.subarray(length);
    return Buffer.from(out);
  };
}

/** SHA-256 of a string as lowercase hex. Pure. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
