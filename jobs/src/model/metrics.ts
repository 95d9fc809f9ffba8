/** Binary classification metrics over probabilities, with the prior (base-rate) baseline. */

export interface Metrics {
  rows: number;
  positives: number;
  prior: number;
  roc_auc: number;
  pr_auc: number;
  log_loss: number;
  brier: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  threshold: number;
  ece: number;
  /** The same metrics for a model that always predicts the training prior. */
  baseline: { roc_auc: number; pr_auc: number; log_loss: number; brier: number };
}

const EPS = 1e-7;

/** Indexed read under noUncheckedIndexedAccess (callers stay within bounds). */
function at(values: ArrayLike<number>, i: number): number {
  return values[i] ?? NaN;
}

/** ROC-AUC as the Mann-Whitney statistic with average ranks for ties; 0.5 when one class is absent. */
export function rocAuc(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => at(probs, a) - at(probs, b));
  let rankSumPos = 0;
  let pos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && at(probs, at(order, j + 1)) === at(probs, at(order, i))) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (at(labels, at(order, k)) === 1) {
        rankSumPos += avgRank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision (the step-wise area under the precision-recall curve). */
export function prAuc(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => at(probs, b) - at(probs, a));
  let totalPos = 0;
  for (let i = 0; i < n; i++) totalPos += at(labels, i) === 1 ? 1 : 0;
  if (totalPos === 0) return 0;
  let tp = 0;
  let ap = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    let tpGroup = 0;
    while (j < n && at(probs, at(order, j)) === at(probs, at(order, i))) {
      tpGroup += at(labels, at(order, j)) === 1 ? 1 : 0;
      j++;
    }
    tp += tpGroup;
    ap += (tpGroup / totalPos) * (tp / j);
    i = j;
  }
  return ap;
}

/** Expected calibration error over equal-width probability bins. */
export function calibrationError(labels: ArrayLike<number>, probs: ArrayLike<number>, bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const b = Math.min(bins - 1, Math.floor(at(probs, i) * bins));
    count[b] = at(count, b) + 1;
    sumP[b] = at(sumP, b) + at(probs, i);
    sumY[b] = at(sumY, b) + at(labels, i);
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (at(count, b) > 0) ece += Math.abs(at(sumP, b) - at(sumY, b)) / labels.length;
  return ece;
}

function logLoss(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, at(probs, i)));
    s -= at(labels, i) === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / Math.max(1, labels.length);
}

function brier(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += (at(probs, i) - at(labels, i)) ** 2;
  return s / Math.max(1, labels.length);
}

/** The threshold maximising F1 on the given rows (fitted on training data, stored in the artifact). */
export function bestF1Threshold(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => at(probs, b) - at(probs, a));
  let totalPos = 0;
  for (let i = 0; i < n; i++) totalPos += at(labels, i) === 1 ? 1 : 0;
  if (totalPos === 0 || totalPos === n) return 0.5;
  let tp = 0;
  let best = 0;
  let threshold = 0.5;
  for (let k = 0; k < n; k++) {
    tp += at(labels, at(order, k)) === 1 ? 1 : 0;
    if (k + 1 < n && at(probs, at(order, k + 1)) === at(probs, at(order, k))) continue;
    const f1 = (2 * tp) / (k + 1 + totalPos);
    if (f1 > best) {
      best = f1;
      threshold = at(probs, at(order, k));
    }
  }
  return threshold;
}

/** Every metric at `threshold`; `prior` is the training base rate (the baseline's prediction). */
export function evaluate(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  threshold: number,
  prior: number,
): Metrics {
  const n = labels.length;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = at(labels, i) === 1;
    const hat = at(probs, i) >= threshold;
    if (y) positives++;
    if (y && hat) tp++;
    else if (!y && hat) fp++;
    else if (y && !hat) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const constant = new Float64Array(n).fill(prior);
  return {
    rows: n,
    positives,
    prior,
    roc_auc: rocAuc(labels, probs),
    pr_auc: prAuc(labels, probs),
    log_loss: logLoss(labels, probs),
    brier: brier(labels, probs),
    accuracy: n > 0 ? (tp + tn) / n : 0,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    threshold,
    ece: calibrationError(labels, probs),
    baseline: {
      roc_auc: 0.5,
      pr_auc: n > 0 ? positives / n : 0,
      log_loss: logLoss(labels, constant),
      brier: brier(labels, constant),
    },
  };
}
