import { checkPrimeSync } from 'node:crypto';
import { byteStream } from './drbg.ts';

/** An RSA private key as plain numbers (what JWK and PKCS#1 need). */
export interface RsaNumbers {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

const E = 65537n;
const SMALL_PRIMES = smallPrimes(4096);

function smallPrimes(limit: number): number[] {
  const sieve = new Uint8Array(limit);
  const primes: number[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (sieve[i]) continue;
    primes.push(i);
    for (let j = i * i; j < limit; j += 2 * i) sieve[j] = 1;
  }
  return primes;
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt('0x' + bytes.toString('hex'));
}

/** Finds the first probable prime at or after a candidate, sieving small factors first. */
function nextPrime(start: bigint): bigint {
  // Residues of the start modulo each small prime let us sieve a window without BigInt division.
  const residues = SMALL_PRIMES.map((p) => Number(start % BigInt(p)));
  for (let offset = 0; ; offset += 2) {
    let composite = false;
    for (let i = 0; i < SMALL_PRIMES.length; i++) {
      if ((residues[i]! + offset) % SMALL_PRIMES[i]! === 0) {
        composite = true;
        break;
      }
    }
    if (composite) continue;
    const candidate = start + BigInt(offset);
    // Node's native OpenSSL test: deterministic for a given candidate, and fast.
    if ((candidate - 1n) % E !== 0n && checkPrimeSync(candidate, { checks: 40 })) return candidate;
  }
}

function randomPrime(bits: number, next: (n: number) => Buffer): bigint {
  const bytes = next(bits / 8);
  bytes[0]! |= 0xc0; // top two bits set: the product has exactly 2*bits bits
  bytes[bytes.length - 1]! |= 1;
  return nextPrime(toBigInt(bytes));
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % m) + m) % m;
}

/**
 * Generates an RSA key deterministically from a seed: the same seed and size give the same
 * key on every run, which keeps replay byte-for-byte reproducible. Candidates come from a
 * SHA-256 stream; primality is Node's native test. Pure.
 */
export function rsaFromSeed(seed: string, bits: number): RsaNumbers {
  const next = byteStream(`rsa:${bits}:${seed}`);
  let p = randomPrime(bits / 2, next);
  let q = randomPrime(bits / 2, next);
  while (p === q) q = randomPrime(bits / 2, next);
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const d = modInverse(E, phi);
  return { n, e: E, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInverse(q, p) };
}
