/** validate: runs a dataset's expectation suite, persists every result, alerts on warnings. */
import type { Db } from '../db/connection';
import { PropelError } from '../errors';
import type { Logger } from '../logging';
import type { Month } from '../month';
import { raiseAlert, type WebhookOptions } from './alerts';
import type { Expectation } from './expectations';
import { clientsSuite, featuresSuite, salesSuite } from './suites';

export type Dataset = 'clients' | 'sales' | 'features';

export interface ExpectationResult {
  expectation: string;
  column: string | null;
  severity: Expectation['severity'];
  passed: boolean;
  observed: number | null;
  threshold: string;
  details: string | null;
}

export interface ValidationReport {
  run_id: string;
  dataset: Dataset;
  month: string | null;
  status: 'passed' | 'warning' | 'failed';
  results: ExpectationResult[];
}

export function suiteFor(dataset: Dataset, month: Month | undefined): Expectation[] {
  if (dataset === 'clients') return clientsSuite();
  if (!month) throw new Error(`validate --dataset ${dataset} needs a month`);
  return dataset === 'sales' ? salesSuite(month) : featuresSuite(month);
}

async function evaluate(db: Db, expectation: Expectation): Promise<ExpectationResult> {
  const base = {
    expectation: expectation.name,
    column: expectation.column ?? null,
    severity: expectation.severity,
    threshold: expectation.threshold,
  };
  try {
    const { rows } = await db.raw<{ rows: Array<{ observed: string | number | null }> }>(
      expectation.sql,
      (expectation.params ?? []) as never[],
    );
    const raw = rows[0]?.observed;
    const observed = raw === null || raw === undefined ? null : Number(raw);
    return { ...base, observed, passed: expectation.passes(observed), details: null };
  } catch (error) {
    // A missing table or column is a failed expectation, not a crash of the suite.
    return { ...base, observed: null, passed: false, details: error instanceof Error ? error.message : String(error) };
  }
}

export async function validate(
  db: Db,
  dataset: Dataset,
  month: Month | undefined,
  context: { runId: string; logger: Logger; webhook: WebhookOptions },
): Promise<ValidationReport> {
  const results: ExpectationResult[] = [];
  for (const expectation of suiteFor(dataset, month)) results.push(await evaluate(db, expectation));
  const failed = results.filter((r) => !r.passed);
  const status = failed.some((r) => r.severity === 'critical') ? 'failed' : failed.length ? 'warning' : 'passed';
  const runId = `${context.runId}:validate:${dataset}${month ? `:${month.id}` : ''}`;
  await db.transaction(async (trx) => {
    await trx('validation_runs')
      .insert({ run_id: runId, dataset, month: month?.start ?? null, status })
      .onConflict('run_id')
      .merge();
    await trx('validation_results').where({ run_id: runId }).delete();
    await trx('validation_results').insert(results.map((r) => ({ run_id: runId, ...r })));
  });
  for (const r of failed) {
    context.logger.warn(
      { expectation: r.expectation, observed: r.observed, threshold: r.threshold, details: r.details },
      `expectation failed (${r.severity})`,
    );
  }
  const scope = `${dataset}${month ? ` ${month.id}` : ''}`;
  for (const r of failed.filter((f) => f.severity === 'warning')) {
    await raiseAlert(
      db,
      {
        kind: 'validation',
        severity: 'warning',
        incidentKey: `validation:${dataset}:${month?.id ?? '-'}:${r.expectation}`,
        message: `${scope}: ${r.expectation} (observed ${r.observed ?? 'n/a'}, expected ${r.threshold})`,
        details: { run_id: runId, ...r },
      },
      context.webhook,
      context.logger,
    );
  }
  const report: ValidationReport = { run_id: runId, dataset, month: month?.id ?? null, status, results };
  if (status === 'failed') {
    const critical = failed.filter((r) => r.severity === 'critical').map((r) => r.expectation);
    await raiseAlert(
      db,
      {
        kind: 'validation',
        severity: 'critical',
        incidentKey: `validation:${dataset}:${month?.id ?? '-'}:critical`,
        message: `${scope}: ${critical.length} critical expectation(s) failed, downstream stopped: ${critical.join('; ')}`,
        details: { run_id: runId, failed: critical },
      },
      context.webhook,
      context.logger,
    );
    throw new PropelError(
      'VALIDATION_FAILED',
      `${scope}: ${critical.length} critical expectation(s) failed: ${critical.join('; ')}`,
      {
        context: { dataset, month: month?.id, failed: critical },
      },
    );
  }
  return report;
}
