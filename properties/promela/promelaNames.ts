/**
 * What the Promela generator's parts share (promela.ts): the scope being rendered with its nodes and
 * phones, and the codes of the explorer's canonical form as Promela values (a key k is k + 3, NO_KEY
 * 2, DEAD 1; 0 means "none" for a file).
 */
import type { SpecScope } from '../spec/scope.ts';

/** NO_KEY's code. */
export const NO = 2;
/** DEAD's code. */
export const DEAD = 1;
/** A key's code. Pure. */
export const code = (k: number): number => k + 3;

/** The scope being rendered, and its nodes and phones by index (each variable's name ends with one). */
export interface Ctx {
  scope: SpecScope;
  nodes: number[];
  phones: number[];
}

/** A fresh key (effects.ts freshKey): fresh keys count down from 254 within a step. Pure. */
export const freshKey = (v: string): string => `${v} = fresh; fresh = fresh - 1;`;
