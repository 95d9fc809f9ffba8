/**
 * The Express app of the prediction API, built from its dependencies (no globals, no environment),
 * so tests start it in-process on port 0 against a real database. server.ts wires the real ones.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { createDashboardRouter } from './dashboard/router';
import { recordFeedback } from './feedback/repository';
import type { FeatureStore } from './features/store';
import { requireApiKey, requireJson } from './http/auth';
import { errorHandler, httpError, notFound, parseBody } from './http/errors';
import type { ModelHolder } from './model/holder';
import type { Metrics } from './observability/metrics';
import { openApiDocument } from './openapi/document';
import type { PredictionLog } from './predictions/log';
import { predictRouter } from './predict/routes';
import { FeedbackRequest } from './predict/schemas';
import type { FeatureAssembly } from './predict/service';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  holder: ModelHolder;
  store: FeatureStore;
  assembly: FeatureAssembly;
  /** companydata when configured: readiness, feedback. */
  db?: Knex;
  predictionLog?: PredictionLog;
  apiKeys: readonly string[];
  maxBatch: number;
  bodyLimit: string;
  trustProxy?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// Resolved through the workspace link, so the version is found wherever this file was compiled to.
const version = (
  JSON.parse(fs.readFileSync(require.resolve('@propel/api/package.json'), 'utf8')) as { version: string }
).version;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.set('etag', false);

  app.use(
    pinoHttp({
      logger: deps.logger,
      // nginx's $request_id travels as X-Request-Id: one id across both access logs and the answer.
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = req.route?.path ? String(req.route.path) : res.statusCode === 404 ? 'unmatched' : req.path;
      end({ route, status: String(res.statusCode) });
    });
    next();
  });
  app.use(helmet());
  app.use(express.json({ limit: deps.bodyLimit, strict: true }));

  const guarded = [requireApiKey(deps.apiKeys), requireJson];
  const document = openApiDocument({ maxBatch: deps.maxBatch, apiKeys: deps.apiKeys.length > 0, version });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/ready', async (_req, res) => {
    const model = deps.holder.current;
    if (!model) {
      throw httpError(503, 'NOT_READY', `no model loaded from ${deps.holder.source.name}`, [
        { field: 'model', message: deps.holder.lastError ?? 'not loaded yet' },
      ]);
    }
    if (deps.db) {
      await deps.db.raw('select 1').catch(() => {
        throw httpError(503, 'NOT_READY', 'the database is not reachable', [
          { field: 'database', message: 'unreachable' },
        ]);
      });
    }
    res.json({ status: 'ready', model_version: model.version });
  });

  app.get('/models', requireApiKey(deps.apiKeys), async (_req, res) => {
    const model = deps.holder.current;
    const known = await deps.holder.source.list().catch(() => []);
    res.json({
      source: deps.holder.source.name,
      serving: model
        ? {
            version: model.version,
            kind: model.kind,
            backend: model.backend,
            threshold: model.threshold,
            metrics: model.metrics,
            lineage: model.lineage,
          }
        : null,
      versions: known,
    });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('js').send(DOCS_INIT);
  });
  app.use('/docs/assets', express.static(swaggerDir, { index: false, fallthrough: true }));

  // Operational data for people: open in the API; nginx serves it to internal addresses only.
  app.use(createDashboardRouter({ db: deps.db }));

  app.use(predictRouter(deps, guarded));

  app.post('/feedback', ...guarded, async (req, res) => {
    const body = parseBody(FeedbackRequest, req.body);
    if (!deps.db) throw httpError(503, 'NO_DATABASE', 'feedback needs the database (DATABASE_URL)');
    const id = await recordFeedback(deps.db, body);
    res.status(201).json({ id, status: 'recorded' });
  });

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Propel prediction API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });`;
