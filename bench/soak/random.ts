/**
 * Seeded randomness for the reliability campaign: every plan (conversations, turns, faults, fuzz cases) is
 * drawn from a seed, so a failing run can be repeated exactly. Two tools:
 *
 * - `Random`: a sequential generator (mulberry32) for plans drawn up front, in a fixed order;
 * - `keyedChance`: a decision that depends only on the seed and a key (a hash, not a sequence), for
 *   faults decided while the run is under way, in whatever order requests arrive.
 */

/** 32-bit string hash (FNV-1a), mixed once more so that similar keys spread. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from the seed and a key: the same seed and key always give the same number. */
export function keyedUniform(seed: number, key: string): number {
  return new Random(hash32(`${seed}:${key}`)).next();
}

/** True with probability `p`, decided by the seed and the key alone. */
export function keyedChance(seed: number, key: string, p: number): boolean {
  return keyedUniform(seed, key) < p;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A child generator for one part of a plan (its draws do not shift the parent's). */
  fork(label: string): Random {
    return new Random(hash32(`${this.state}:${label}`));
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A number in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Log-uniform in [min, max): many short values, a few long ones (answer times). */
  logBetween(min: number, max: number): number {
    return Math.exp(this.between(Math.log(min), Math.log(max)));
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of `choices` by weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  /** Lower-case hex digits. */
  hex(digits: number): string {
    let out = "";
    while (out.length < digits) out += Math.floor(this.next() * 0x10000).toString(16).padStart(4, "0");
    return out.slice(0, digits);
  }
}

/** A fresh seed for a run that was not given one (printed, so the run can be repeated). */
export function newSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff) + 1;
}
