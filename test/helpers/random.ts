/**
 * Seeded random numbers in [0, 1) (mulberry32), so a failing walk or workload can be replayed by
 * its seed. Tests and benches only: the devnet's seed has its own generator (devnet/seed/prng.ts), seeded
 * through splitmix32, whose output is part of the seed's determinism.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
