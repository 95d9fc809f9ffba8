/**
 * `synth generate`: writes a synthetic dataset in the challenge's layout. Released months go to the
 * source, the others to the pool; the full activity history stays in the pool and the source gets
 * the history as known at the end of the last released month. A manifest records knobs, row counts
 * and the Bayes-optimal AUC.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Month } from '../month';
import type { Progress } from '../progress';
import { expectedAuc, rocAuc } from './auc';
import { removeMonth, salesMonths, writeActivityAsOf, writeLines, type WrittenFile } from './files';
import * as layout from './layout';
import { LABEL, PROFILE, REGIMES, drawActivity, drawPopulation, drawProfile, drawSales, purchaseRates } from './model';
import type { Population } from './model';
import { planMonths, type Knobs, type Plan } from './plan';
import { createRng } from './random';
import { buildManifest, writeManifest, type Manifest } from './manifest';

export interface DataPaths {
  source: string;
  pool: string;
  manifest: string;
}

/** Generates the whole dataset; running it twice with the same knobs writes the same bytes. */
export async function generate(knobs: Knobs, paths: DataPaths, progress?: Progress): Promise<Manifest> {
  const plan = planMonths(knobs);
  // About 1.8 activity rows per customer (one row plus Poisson(0.8) changes).
  progress?.setTotal(Math.round(knobs.customers * 3.8) + plan.months.length * knobs.salesPerMonth);
  const tick = (n: number) => progress?.tick(n);
  const population = drawPopulation(createRng(knobs.seed, 'latent'), createRng(knobs.seed, 'labels'), knobs.customers);
  const files: Record<string, WrittenFile> = {};
  const at = (root: string, relative: string) => path.join(root, relative);

  const attrs = new Uint8Array(knobs.customers * 3);
  files[layout.FILES.profiles] = await writeLines(
    at(paths.source, layout.FILES.profiles),
    layout.HEADERS.profiles,
    profileLines(knobs.seed, population, attrs),
    tick,
  );
  files[layout.FILES.labels] = await writeLines(
    at(paths.source, layout.FILES.labels),
    layout.HEADERS.labels,
    (function* () {
      for (let i = 0; i < knobs.customers; i++) yield layout.labelLine(i, population.label[i] as number);
    })(),
    tick,
  );
  const stores = layout.storesCsv();
  await fs.promises.writeFile(at(paths.source, layout.FILES.stores), stores);
  files[layout.FILES.activity] = await writeLines(
    at(paths.pool, layout.FILES.activity),
    layout.HEADERS.activity,
    activityLines(knobs.seed, population, plan),
    tick,
  );

  const purchases = new Uint32Array(knobs.customers);
  const monthRows: Record<string, number> = {};
  for (const [index, month] of plan.months.entries()) {
    const released = index < plan.released.length;
    const written = await writeLines(
      at(released ? paths.source : paths.pool, layout.salesPath(month.id)),
      layout.HEADERS.sales,
      salesLines(knobs, population, plan, index, purchases),
      tick,
    );
    files[layout.salesPath(month.id)] = written;
    monthRows[month.id] = written.rows;
  }
  await removeStaleMonths(paths, plan);
  await writeActivityAsOf(
    at(paths.pool, layout.FILES.activity),
    at(paths.source, layout.FILES.activity),
    (plan.released[plan.released.length - 1] as Month).end,
  );
  progress?.done();

  const manifest = buildManifest({
    knobs,
    plan,
    files,
    monthRows,
    labelRate: population.label.reduce((a, b) => a + b, 0) / knobs.customers,
    bayesAuc: rocAuc(population.p, population.label),
    bayesAucExpected: expectedAuc(population.p),
    featureAuc: {
      attr_a: rocAuc(everyThird(attrs, 0), population.label),
      attr_b: rocAuc(everyThird(attrs, 1), population.label),
      attr_c: rocAuc(everyThird(attrs, 2), population.label),
      purchases_in_period: rocAuc(purchases, population.label),
    },
    model: { label: LABEL, profile: PROFILE, regimes: REGIMES },
  });
  await writeManifest(paths.manifest, manifest);
  return manifest;
}

const everyThird = (values: Uint8Array, offset: number) => values.filter((_, i) => i % 3 === offset);

/** Profile lines; records each attribute's category index (z order) for the manifest's feature AUCs. */
function* profileLines(seed: number, population: Population, attrs: Uint8Array): Generator<string> {
  const rng = createRng(seed, 'profiles');
  const order = [PROFILE.attrA.values, PROFILE.attrB.values, PROFILE.attrC.values];
  for (let i = 0; i < population.z.length; i++) {
    const values = drawProfile(rng, population.z[i] as number);
    values.forEach((value, k) => (attrs[i * 3 + k] = (order[k] as string[]).indexOf(value)));
    yield layout.profileLine(i, values);
  }
}

/** The full SCD2 history: first rows up to two years before the period, changes inside it. */
function* activityLines(seed: number, population: Population, plan: Plan): Generator<string> {
  const rng = createRng(seed, 'activity');
  const periodStart = layout.dayNumber((plan.months[0] as Month).start);
  const timeline = {
    historyStart: periodStart - 730,
    periodStart,
    periodEnd: layout.dayNumber((plan.months[plan.months.length - 1] as Month).end),
    driftStart: plan.drifted[0] ? layout.dayNumber(plan.drifted[0].start) : undefined,
  };
  for (let i = 0; i < population.z.length; i++) {
    for (const row of drawActivity(rng, population.z[i] as number, timeline)) yield layout.activityLine(i, row);
  }
}

/** One month's sales in customer order; each month has its own random stream. */
function* salesLines(
  knobs: Knobs,
  population: Population,
  plan: Plan,
  index: number,
  purchases: Uint32Array,
): Generator<string> {
  const month = plan.months[index] as Month;
  const regime = plan.drifted.some((m) => m.id === month.id) ? REGIMES.drifted : REGIMES.base;
  const position = plan.months.length === 1 ? 0.5 : index / (plan.months.length - 1);
  const rates = purchaseRates(population, regime, position, knobs.salesPerMonth);
  const rng = createRng(knobs.seed, `sales/${month.id}`);
  const days = Number(month.end.slice(8, 10));
  for (let i = 0; i < rates.length; i++) {
    const sales = drawSales(rng, population.z[i] as number, rates[i] as number, regime, days);
    purchases[i] = (purchases[i] as number) + sales.length;
    for (const sale of sales) yield layout.saleLine(i, month.start, sale);
  }
}

/** Months left over from an earlier generation with other knobs: the source and pool hold only this plan's. */
async function removeStaleMonths(paths: DataPaths, plan: Plan): Promise<void> {
  const isReleased = new Set(plan.released.map((m) => m.id));
  const isPending = new Set(plan.pending.map((m) => m.id));
  for (const month of await salesMonths(paths.source))
    if (!isReleased.has(month)) await removeMonth(paths.source, month);
  for (const month of await salesMonths(paths.pool)) if (!isPending.has(month)) await removeMonth(paths.pool, month);
}
