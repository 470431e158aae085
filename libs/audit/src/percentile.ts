/**
 * PostgreSQL's `percentile_cont` of each fraction (ascending) over `values`, exactly: the values at
 * positions floor and ceil of q·(n − 1) in sorted order, interpolated as its float8_lerp does,
 * lo + q' · (hi − lo) in doubles. Found by selection, not a sort: `values` is reordered.
 */
export function percentilesCont(values: Float64Array, fractions: readonly number[]): number[] {
  const n = values.length;
  let from = 0;
  return fractions.map((q) => {
    const position = q * (n - 1);
    const first = Math.floor(position);
    const second = Math.ceil(position);
    // Selection leaves every value from `first` on at or above it: later fractions search there.
    select(values, from, n - 1, first);
    from = first;
    const lo = values[first];
    if (second === first) return lo;
    let hi = values[first + 1];
    for (let i = first + 2; i < n; i++) if (values[i] < hi) hi = values[i];
    return lo + (position - first) * (hi - lo);
  });
}

/**
 * Puts the k-th smallest of a[lo..hi] at k, the smaller ones before it and the larger after
 * (Hoare's partition around a median of three; equal values stop both scans, so many ties stay
 * linear). Falls back to a sort on a range that keeps resisting.
 */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  for (let rounds = 0; hi > lo; rounds++) {
    if (rounds > 60) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const mid = lo + ((hi - lo) >> 1);
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[lo..j] ≤ pivot, a[i..hi] ≥ pivot, and whatever lies between equals it.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
