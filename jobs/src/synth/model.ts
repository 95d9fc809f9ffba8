/**
 * The generative model of the synthetic data (pure): a latent propensity z per customer drives the
 * profile, the activity history, the purchases and the label. Drift swaps the regime that maps z
 * to the features (and shifts their distributions) from a given month on.
 */
import { cumulative, normalCdf, type Rng } from './random';

/** How a latent score turns into observed features; one regime before the drift month, one after. */
export interface Regime {
  name: 'base' | 'drifted';
  /** log purchase rate = freqSlope·z + trendSlope·z·(position in the period − ½): frequency and recency. */
  freqSlope: number;
  trendSlope: number;
  /** value = 10·Φ(valueSlope·z + valueShift + noise): uniform-ish 0-10 like the real files. */
  valueSlope: number;
  valueShift: number;
  storeCumulative: number[];
  /** scd_a = Φ(scdASlope·z + scdAShift + noise); scd_b = 1 + bucket of (scdBSlope·z + scdBShift + noise). */
  scdASlope: number;
  scdAShift: number;
  scdBSlope: number;
  scdBShift: number;
}

/** Store shares of the real 2020-01 file (New York 53%, Lisbon 6%, London 9%, Berlin 12%, Paris 20%). */
const REAL_STORE_SHARES = [0.53, 0.06, 0.09, 0.12, 0.2];

export const REGIMES: Record<Regime['name'], Regime> = {
  base: {
    name: 'base',
    freqSlope: 0.9,
    trendSlope: 1.2,
    valueSlope: 0.6,
    valueShift: 0,
    storeCumulative: cumulative(REAL_STORE_SHARES),
    scdASlope: 0.7,
    scdAShift: 0,
    scdBSlope: 0.6,
    scdBShift: 0,
  },
  // After the drift: purchases barely follow z, high-z customers spend less, stores and activity move.
  drifted: {
    name: 'drifted',
    freqSlope: 0.2,
    trendSlope: 0,
    valueSlope: -0.4,
    valueShift: 0.5,
    storeCumulative: cumulative([0.25, 0.3, 0.2, 0.1, 0.15]),
    scdASlope: -0.3,
    scdAShift: 0.6,
    scdBSlope: 0.1,
    scdBShift: 0.5,
  },
};

/** The label: P(label = 1 | z) = sigmoid(bias + slope·z); bias gives ≈ 9% ones like the real labels. */
export const LABEL = { bias: -3.2, slope: 1.6 };

/** Profile attributes: correlation with z and the real marginal shares, categories in z order. */
export const PROFILE = {
  attrA: { rho: 0.45, values: ['1', '2', '3', '4', '5'], cumulative: cumulative([0.5, 0.05, 0.1, 0.15, 0.2]) },
  attrB: { rho: 0.35, values: ['a', 'b', 'c', 'd'], cumulative: cumulative([0.1, 0.2, 0.3, 0.4]) },
  attrC: { rho: 0.25, values: ['no', 'yes'], cumulative: cumulative([1 / 3, 2 / 3]) },
};

const SCD_B_CUMULATIVE = cumulative([0.2, 0.2, 0.2, 0.2, 0.2]);

export interface Population {
  /** Latent propensity per customer (standard normal). */
  z: Float64Array;
  /** True probability of label 1. */
  p: Float64Array;
  label: Uint8Array;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** z, p and the drawn labels of every customer (two independent streams of the seed). */
export function drawPopulation(latentRng: Rng, labelRng: Rng, customers: number): Population {
  const z = new Float64Array(customers);
  const p = new Float64Array(customers);
  const label = new Uint8Array(customers);
  for (let i = 0; i < customers; i++) {
    z[i] = latentRng.normal();
    p[i] = sigmoid(LABEL.bias + LABEL.slope * (z[i] as number));
    label[i] = labelRng.next() < (p[i] as number) ? 1 : 0;
  }
  return { z, p, label };
}

/** A value in (0, 1) correlated `rho` with z: Φ(rho·z + √(1−rho²)·noise). */
const correlatedUniform = (rng: Rng, z: number, rho: number) =>
  normalCdf(rho * z + Math.sqrt(1 - rho * rho) * rng.normal());

/** Picks the category whose cumulative share first exceeds u. */
const bucket = (u: number, cumulativeShares: readonly number[]) => {
  const index = cumulativeShares.findIndex((c) => u < c);
  return index === -1 ? cumulativeShares.length - 1 : index;
};

/** attr_a, attr_b, attr_c of one customer. */
export function drawProfile(rng: Rng, z: number): [string, string, string] {
  const pick = (attr: { rho: number; values: string[]; cumulative: number[] }) =>
    attr.values[bucket(correlatedUniform(rng, z, attr.rho), attr.cumulative)] as string;
  return [pick(PROFILE.attrA), pick(PROFILE.attrB), pick(PROFILE.attrC)];
}

export interface ActivityRow {
  /** Days since 1970-01-01 (UTC). */
  validFrom: number;
  /** Inclusive last day; undefined = the current row. */
  validTo?: number;
  scdA: number;
  scdB: number;
}

export interface ActivityTimeline {
  /** Earliest first valid_from (days), before the generated period. */
  historyStart: number;
  /** First and last day of the generated period. */
  periodStart: number;
  periodEnd: number;
  /** First drifted day, or undefined without drift. */
  driftStart?: number;
}

/**
 * The SCD2 history of one customer: a row from before the period, then 0-4 changes inside it, and
 * with drift a row from the first drifted day (drawn from the drifted regime, like later changes).
 */
export function drawActivity(rng: Rng, z: number, t: ActivityTimeline): ActivityRow[] {
  const starts = [t.historyStart + rng.int(t.periodStart - t.historyStart)];
  const changes = Math.min(4, rng.poisson(0.8));
  const span = t.periodEnd - t.periodStart + 1;
  const changeDays = Array.from({ length: changes }, () => t.periodStart + rng.int(span)).sort((a, b) => a - b);
  // The regime change reaches everyone at once: each customer gets a drifted row on its first day.
  if (t.driftStart !== undefined && t.driftStart <= t.periodEnd) changeDays.push(t.driftStart);
  changeDays.sort((a, b) => a - b);
  for (const day of changeDays) if (day !== starts[starts.length - 1]) starts.push(day);
  return starts.map((validFrom, i) => {
    const regime = t.driftStart !== undefined && validFrom >= t.driftStart ? REGIMES.drifted : REGIMES.base;
    const noiseA = rng.normal();
    const noiseB = rng.normal();
    const next = starts[i + 1];
    return {
      validFrom,
      validTo: next === undefined ? undefined : next - 1,
      scdA: normalCdf(regime.scdASlope * z + regime.scdAShift + 0.8 * noiseA),
      scdB: 1 + bucket(normalCdf(regime.scdBSlope * z + regime.scdBShift + 0.8 * noiseB), SCD_B_CUMULATIVE),
    };
  });
}

/** Per-customer purchase weights of a month (position 0..1 in the period), summing to `total`. */
export function purchaseRates(population: Population, regime: Regime, position: number, total: number): Float64Array {
  const rates = new Float64Array(population.z.length);
  let sum = 0;
  for (let i = 0; i < rates.length; i++) {
    const z = population.z[i] as number;
    const w = Math.exp(regime.freqSlope * z + regime.trendSlope * z * (position - 0.5));
    rates[i] = w;
    sum += w;
  }
  for (let i = 0; i < rates.length; i++) rates[i] = ((rates[i] as number) * total) / sum;
  return rates;
}

export interface Sale {
  /** 0.0-10.0, one decimal. */
  value: number;
  /** Day of the month, 1-based. */
  day: number;
  /** 1-5 (stores.csv idx). */
  store: number;
}

/** The purchases of one customer in one month, sorted by day. */
export function drawSales(rng: Rng, z: number, rate: number, regime: Regime, daysInMonth: number): Sale[] {
  const count = rng.poisson(rate);
  const sales: Sale[] = [];
  for (let k = 0; k < count; k++) {
    const u = normalCdf(regime.valueSlope * z + regime.valueShift + 0.8 * rng.normal());
    sales.push({
      value: Math.round(100 * u) / 10,
      day: 1 + rng.int(daysInMonth),
      store: 1 + rng.pick(regime.storeCumulative),
    });
  }
  return sales.sort((a, b) => a.day - b.day);
}
