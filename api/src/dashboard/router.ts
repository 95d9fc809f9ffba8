/**
 * GET /dashboard: one page (static HTML, CSS and script from api/static/dashboard) whose script
 * fetches /dashboard/data.json and draws it with Chart.js, served from the installed npm package
 * (no CDN; helmet's CSP unchanged: same-origin scripts only, no inline script).
 */
import path from 'node:path';
import express, { Router } from 'express';
import type { Knex } from 'knex';
import { httpError } from '../http/errors';
import { dashboardData } from './queries';

const STATIC_DIR = path.join(path.dirname(require.resolve('@propel/api/package.json')), 'static', 'dashboard');
// chart.js exports no subpaths: its browser bundle sits beside the entry point, in dist/.
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

export function createDashboardRouter(deps: { db?: Knex }): Router {
  const router = Router();
  const requireDatabase: express.RequestHandler = (_req, _res, next) => {
    if (!deps.db) throw httpError(503, 'NO_DATABASE', 'the dashboard needs the database (DATABASE_URL)');
    next();
  };
  router.get('/dashboard', requireDatabase, (_req, res) => {
    res.sendFile(path.join(STATIC_DIR, 'index.html'));
  });
  router.get('/dashboard/data.json', requireDatabase, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await dashboardData(deps.db as Knex));
  });
  router.get('/dashboard/vendor/chart.umd.min.js', (_req, res) => {
    res.type('js').sendFile(CHART_JS);
  });
  router.use('/dashboard/assets', express.static(STATIC_DIR, { index: false }));
  return router;
}
