/**
 * The prediction API's configuration: one zod schema, parsed once at start-up (server.ts). The only
 * file of the api that reads the environment; `.env_template` documents every variable (a test keeps
 * the two in step).
 */
import { z } from 'zod';
import { parseSettings } from '@propel/jobs/dist/config';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const positiveInt = z.coerce.number().int().positive();

/** Setting name → env var, schema (with default) and description. */
export const apiSettings = {
  port: { env: 'PORT', schema: z.coerce.number().int().min(0).max(65535).default(5000), description: 'HTTP port.' },
  host: { env: 'HOST', schema: z.string().min(1).default('0.0.0.0'), description: 'Address to listen on.' },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: optionalString,
    description: 'companydata: model registry, feature store, prediction log, feedback. Unset: MODEL_DIR only.',
  },
  modelDir: {
    env: 'MODEL_DIR',
    schema: optionalString,
    description: 'Serve the model exported in this directory instead of the registry champion (no database needed).',
  },
  apiKeys: {
    env: 'API_KEYS',
    schema: optionalString.transform((v) =>
      v === undefined
        ? []
        : v
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean),
    ),
    description: 'Comma-separated keys accepted in X-API-Key (or Authorization: Bearer). Unset: no key needed.',
  },
  maxBatch: { env: 'MAX_BATCH', schema: positiveInt.default(1000), description: 'Most instances in one batch.' },
  bodyLimit: {
    env: 'BODY_LIMIT',
    schema: z.string().min(1).default('1mb'),
    description: 'Largest JSON body the API parses (nginx has its own client_max_body_size in front).',
  },
  modelPollSeconds: {
    env: 'MODEL_POLL_SECONDS',
    schema: z.coerce.number().positive().default(30),
    description: 'Seconds between champion checks (the fallback when a LISTEN notification is missed).',
  },
  predictionLog: {
    env: 'PREDICTION_LOG',
    schema: z.enum(['auto', 'db', 'file', 'off']).default('auto'),
    description: 'Where predictions are logged: auto = the database when DATABASE_URL is set, else the JSONL file.',
  },
  predictionLogFile: {
    env: 'PREDICTION_LOG_FILE',
    schema: z.string().min(1).default('./logs/predictions.jsonl'),
    description: 'JSONL file of the prediction log when there is no database.',
  },
  predictionLogQueue: {
    env: 'PREDICTION_LOG_QUEUE',
    schema: positiveInt.default(10000),
    description: 'Bounded queue of the prediction log; entries beyond it are dropped and counted, never waited for.',
  },
  predictionLogBatch: {
    env: 'PREDICTION_LOG_BATCH',
    schema: positiveInt.default(500),
    description: 'Most entries written in one insert.',
  },
  predictionLogFlushMs: {
    env: 'PREDICTION_LOG_FLUSH_MS',
    schema: positiveInt.default(1000),
    description: 'Milliseconds between prediction log flushes.',
  },
  shutdownGraceSeconds: {
    env: 'SHUTDOWN_GRACE_SECONDS',
    schema: z.coerce.number().positive().default(10),
    description: 'On SIGTERM: seconds to drain open requests before closing them.',
  },
  trustProxy: {
    env: 'TRUST_PROXY',
    schema: z.string().min(1).default('loopback, uniquelocal'),
    description: "Express 'trust proxy': which proxies (nginx) may set X-Forwarded-For.",
  },
  logLevel: {
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'pino log level.',
  },
} as const;

type Settings = typeof apiSettings;
export type ApiConfig = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** Parses the environment once; an invalid value fails naming the env var. */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return parseSettings(apiSettings, env);
}
