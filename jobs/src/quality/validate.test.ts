import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../db/connection';
import { silentLogger } from '../logging';
import { parseMonth } from '../month';
import { useTestDatabase } from '../../test/database';
import { raiseAlert } from './alerts';
import { validate, type Dataset } from './validate';

const JAN = parseMonth('2020-01');
const noWebhook = { timeoutMs: 500, retries: 0 };

async function seedClean(db: Db): Promise<void> {
  await db('customer_profiles').insert([
    { idx: 1, attr_a: 1, attr_b: 'a', attr_c: 'yes' },
    { idx: 2, attr_a: 5, attr_b: 'd', attr_c: 'no' },
    { idx: 3, attr_a: 3, attr_b: 'b', attr_c: 'no' },
  ]);
  await db('labels').insert([
    { idx: 1, label: 0 },
    { idx: 2, label: 1 },
    { idx: 3, label: 0 },
  ]);
  await db('stores').insert([{ idx: 1, location: 'Lisbon' }]);
  await db('customer_activity').insert([
    { idx: 1, valid_from: '2019-01-01', valid_to: '2019-06-01', scd_a: 0.1, scd_b: 1 },
    { idx: 1, valid_from: '2019-06-01', valid_to: null, scd_a: 0.2, scd_b: 2 },
    { idx: 2, valid_from: '2019-01-01', valid_to: null, scd_a: 0.9, scd_b: 5 },
    { idx: 3, valid_from: '2019-01-01', valid_to: null, scd_a: 0.5, scd_b: 3 },
  ]);
  await db('sales').insert([
    { idx: 1, value: 2.5, date: '2020-01-10', store_idx: 1, sale_month: JAN.start },
    { idx: 2, value: 10, date: '2020-01-31', store_idx: 1, sale_month: JAN.start },
  ]);
}

const run = (db: Db, dataset: Dataset, webhook = noWebhook) =>
  validate(db, dataset, dataset === 'clients' ? undefined : JAN, { runId: 'test', logger: silentLogger, webhook });

/** Each case breaks one expectation inside a transaction that is rolled back afterwards. */
const BREAKS: Array<[Dataset, string, string]> = [
  ['clients', 'customer_profiles: attr_a in 1..5', `UPDATE customer_profiles SET attr_a = 7 WHERE idx = 1`],
  ['clients', 'customer_profiles: attr_b in a|b|c|d', `UPDATE customer_profiles SET attr_b = 'z' WHERE idx = 1`],
  ['clients', 'every customer has a label', `DELETE FROM labels WHERE idx = 3`],
  [
    'clients',
    'customer_activity (SCD2): no overlapping intervals',
    `UPDATE customer_activity SET valid_to = '2019-08-01' WHERE idx = 1 AND valid_to = '2019-06-01'`,
  ],
  [
    'clients',
    'customer_activity (SCD2): one current row per customer',
    `UPDATE customer_activity SET valid_to = '2020-01-01' WHERE idx = 2`,
  ],
  [
    'clients',
    'customer_activity: valid_to not before valid_from',
    `UPDATE customer_activity SET valid_to = '2018-01-01' WHERE idx = 3`,
  ],
  ['clients', 'customer_activity: scd_a in 0..1', `UPDATE customer_activity SET scd_a = 1.5 WHERE idx = 3`],
  ['clients', 'stores: has rows', `DELETE FROM stores`],
  ['sales', 'sales: has rows', `DELETE FROM sales`],
  ['sales', 'sales: value in 0..10', `UPDATE sales SET value = 11 WHERE idx = 1`],
  ['sales', 'sales: date inside the loaded month', `UPDATE sales SET date = '2020-02-01' WHERE idx = 1`],
  ['sales', 'sales -> stores', `UPDATE sales SET store_idx = 9 WHERE idx = 1`],
  ['sales', 'sales -> customers', `UPDATE sales SET idx = 99 WHERE idx = 1`],
];

describe('validate', () => {
  const testDb = useTestDatabase('validate');
  beforeAll(async () => seedClean(testDb().db));

  it.each(['clients', 'sales'] as const)(
    'when the %s data is clean, then every expectation passes',
    async (dataset) => {
      const report = await run(testDb().db, dataset);
      expect(report.results.filter((r) => !r.passed)).toEqual([]);
      expect(report.status).toBe('passed');
    },
  );

  it.each(BREAKS)('when %s data breaks "%s", then that expectation fails', async (dataset, expectation, breakSql) => {
    const { db } = testDb();
    await db
      .transaction(async (trx) => {
        await trx.raw(breakSql);
        const outcome = await run(trx as unknown as Db, dataset).then(
          (report) => report,
          (error: Error & { context?: { failed?: string[] } }) => error,
        );
        const failed =
          outcome instanceof Error
            ? (outcome.context?.failed ?? [])
            : outcome.results.filter((r) => !r.passed).map((r) => r.expectation);
        expect(failed).toContain(expectation);
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
  });

  it('when a critical expectation fails, then validate throws VALIDATION_FAILED and the run is stored as failed', async () => {
    const { db } = testDb();
    await db('sales').where({ idx: 1 }).update({ value: 11 });
    try {
      await expect(run(db, 'sales')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', exitCode: 1 });
      const stored = await db('validation_runs').where({ dataset: 'sales' }).first();
      expect(stored).toMatchObject({ status: 'failed', month: '2020-01-01' });
      const result = await db('validation_results')
        .where({ run_id: stored.run_id, expectation: 'sales: value in 0..10' })
        .first();
      expect(result).toMatchObject({ passed: false, observed: 1, severity: 'critical' });
      const alert = await db('alerts').where({ incident_key: 'validation:sales:2020-01:critical' }).first();
      expect(alert).toMatchObject({ severity: 'critical', message: expect.stringContaining('downstream stopped') });
    } finally {
      await db('sales').where({ idx: 1 }).update({ value: 2.5 });
    }
  });

  it('when a warning fails, then the run passes with status warning and an alert is opened once', async () => {
    const { db } = testDb();
    await db('labels').update({ label: 0 }); // positive rate 0: a warning, not critical
    const first = await run(db, 'clients');
    const second = await run(db, 'clients');
    expect(first.status).toBe('warning');
    expect(second.status).toBe('warning');
    const alerts = await db('alerts').where({ kind: 'validation', severity: 'warning' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'warning', occurrences: 2, status: 'open' });
    await db('labels').where({ idx: 2 }).update({ label: 1 });
  });

  describe('alert webhook', () => {
    let server: http.Server;
    let received: unknown[] = [];
    let behaviour: 'ok' | 'slow' | 'error' = 'ok';
    let url = '';
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          if (behaviour === 'slow') return; // never answers
          received.push(JSON.parse(body));
          res.writeHead(behaviour === 'ok' ? 200 : 500).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });
    beforeEach(() => {
      received = [];
    });

    const alert = (key: string) => ({
      kind: 'drift',
      severity: 'warning' as const,
      message: `psi high (${key})`,
      incidentKey: key,
    });

    it('when the same incident is raised twice, then the receiver gets one Slack-style message', async () => {
      behaviour = 'ok';
      const webhook = { url, timeoutMs: 1000, retries: 1 };
      expect(await raiseAlert(testDb().db, alert('inc-1'), webhook, silentLogger)).toEqual({
        opened: true,
        delivered: true,
      });
      expect(await raiseAlert(testDb().db, alert('inc-1'), webhook, silentLogger)).toEqual({
        opened: false,
        delivered: null,
      });
      expect(received).toEqual([expect.objectContaining({ text: expect.stringContaining('drift: psi high (inc-1)') })]);
    });

    it('when the receiver is slow, then the call gives up after the timeout and the alert is still stored', async () => {
      behaviour = 'slow';
      const result = await raiseAlert(testDb().db, alert('inc-2'), { url, timeoutMs: 200, retries: 1 }, silentLogger);
      expect(result).toEqual({ opened: true, delivered: false });
      expect(await testDb().db('alerts').where({ incident_key: 'inc-2' }).first()).toMatchObject({ status: 'open' });
    });

    it('when the receiver is down, then the call fails fast, is retried, and does not throw', async () => {
      behaviour = 'error';
      const result = await raiseAlert(testDb().db, alert('inc-3'), { url, timeoutMs: 1000, retries: 2 }, silentLogger);
      expect(result).toEqual({ opened: true, delivered: false });
      expect(received).toHaveLength(3);
      const refused = await raiseAlert(
        testDb().db,
        alert('inc-4'),
        { url: 'http://127.0.0.1:1/nothing-listens', timeoutMs: 1000, retries: 0 },
        silentLogger,
      );
      expect(refused).toEqual({ opened: true, delivered: false });
    });
  });
});
