/** ROC-AUC, for the manifest's Bayes-optimal ceiling and the generator's signal checks. */

/** Empirical ROC-AUC of scores against 0/1 labels (Mann-Whitney, ties count one half). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Expected AUC of the true probabilities p when labels are drawn from them: the chance that a
 * random positive has a higher p than a random negative (the population Bayes-optimal AUC).
 */
export function expectedAuc(p: ArrayLike<number>): number {
  const sorted = Array.from(p).sort((a, b) => a - b);
  let negativesBelow = 0;
  let numerator = 0;
  let positives = 0;
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[start]) end++;
    const value = sorted[start] as number;
    const count = end - start + 1;
    // Ties of p count one half, as in the empirical AUC.
    numerator += count * value * (negativesBelow + (count * (1 - value)) / 2);
    negativesBelow += count * (1 - value);
    positives += count * value;
    start = end + 1;
  }
  const negatives = sorted.length - positives;
  return positives === 0 || negatives === 0 ? Number.NaN : numerator / (positives * negatives);
}
