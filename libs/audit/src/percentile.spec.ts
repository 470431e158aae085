import { percentilesCont } from './percentile';

/** percentile_cont as PostgreSQL computes it, over a sorted copy. */
function sorted(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const position = q * (s.length - 1);
  const lo = s[Math.floor(position)];
  const hi = s[Math.ceil(position)];
  return Math.floor(position) === Math.ceil(position) ? lo : lo + (position - Math.floor(position)) * (hi - lo);
}

describe('percentilesCont', () => {
  it('gives the sorted interpolation for every size up to 300, with ties, runs and sorted input', () => {
    let state = 7;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let n = 1; n <= 300; n++) {
      const shapes = [
        Array.from({ length: n }, () => Math.floor(next() * 1e9)),
        Array.from({ length: n }, () => Math.floor(next() * 3) * 3_600_000),
        Array.from({ length: n }, (_, i) => i * 7),
        Array.from({ length: n }, (_, i) => (n - i) * 7),
        Array.from({ length: n }, () => 42),
      ];
      for (const values of shapes)
        expect(percentilesCont(Float64Array.from(values), [0.5, 0.9])).toEqual([
          sorted(values, 0.5),
          sorted(values, 0.9),
        ]);
    }
  });
});
