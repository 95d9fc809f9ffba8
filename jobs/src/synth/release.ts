/**
 * Simulated passing of time: `synth release-month` moves the next pending month from the pool into
 * the source (and updates the source's activity history to that month's end); `synth status`
 * lists released and pending months.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nothingToDo } from '../errors';
import { parseMonth } from '../month';
import type { DataSource } from '../sources';
import { copyMonth, removeMonth, salesMonths, writeActivityAsOf } from './files';
import { FILES, monthOfSalesPath } from './layout';
import type { Manifest } from './manifest';

export interface ReleaseResult {
  month: string;
  /** Last day of the newest released month: the "today" of the simulation. */
  as_of: string;
  activity_rows: number | null;
  pending_left: number;
}

/**
 * Releases the earliest pending month. Steps are ordered so that a run killed half-way is
 * completed by the next run (the month stays in the pool until the source has it).
 */
export async function releaseNextMonth(sourceDir: string, poolDir: string): Promise<ReleaseResult> {
  const pending = await salesMonths(poolDir);
  const month = pending[0];
  if (month === undefined) {
    throw nothingToDo(`no pending month in ${poolDir}: every generated month is already released`, { file: poolDir });
  }
  await copyMonth(poolDir, sourceDir, month);
  const released = await salesMonths(sourceDir);
  const asOf = parseMonth(released[released.length - 1] ?? month).end;
  const fullActivity = path.join(poolDir, FILES.activity);
  const activity = fs.existsSync(fullActivity)
    ? await writeActivityAsOf(fullActivity, path.join(sourceDir, FILES.activity), asOf)
    : undefined;
  await removeMonth(poolDir, month);
  return { month, as_of: asOf, activity_rows: activity?.rows ?? null, pending_left: pending.length - 1 };
}

export interface DataStatus {
  source: string;
  pool: string;
  released: string[];
  pending: string[];
  next_month: string | null;
  synthetic: { seed: number; customers: number; drift_month: string | null; bayes_auc: number } | null;
}

/** Released months (sales files in the source, local or S3) and pending ones (in the pool). */
export async function dataStatus(source: DataSource, poolDir: string, manifest?: Manifest): Promise<DataStatus> {
  const released = (await source.list('sales/'))
    .map(monthOfSalesPath)
    .filter((m): m is string => m !== undefined)
    .sort();
  const pending = await salesMonths(poolDir);
  return {
    source: source.root,
    pool: poolDir,
    released,
    pending,
    next_month: pending[0] ?? null,
    synthetic: manifest
      ? {
          seed: manifest.knobs.seed,
          customers: manifest.knobs.customers,
          drift_month: manifest.knobs.drift_month,
          bayes_auc: manifest.bayes_auc,
        }
      : null,
  };
}

/** A table for people: one line per month, where it is, its rows and whether it is drifted. */
export function statusTable(status: DataStatus, manifest?: Manifest): string {
  const info = new Map(manifest?.months.map((m) => [m.month, m]));
  const months = [...status.released.map((m) => [m, 'source']), ...status.pending.map((m) => [m, 'pool'])];
  const lines = [`month    where   ${'rows'.padStart(10)}  drifted`];
  for (const [month = '', where = ''] of months) {
    const m = info.get(month);
    lines.push(`${month}  ${where.padEnd(6)}  ${String(m?.rows ?? '?').padStart(10)}  ${m?.drifted ? 'yes' : ''}`);
  }
  lines.push(`released ${status.released.length}, pending ${status.pending.length}, next ${status.next_month ?? '-'}`);
  if (status.synthetic) lines.push(`synthetic: seed ${status.synthetic.seed}, Bayes AUC ${status.synthetic.bayes_auc}`);
  return `${lines.join('\n')}\n`;
}
