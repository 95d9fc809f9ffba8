/**
 * The jobs' configuration: one schema, parsed once at the edge (the CLI). No other file of the
 * jobs package reads process.env. Every setting has an env var, a default and a description;
 * `.env_template` documents them all (a test keeps the two in step).
 */
import { z } from 'zod';
import { badConfig } from './errors';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Setting name → env var, schema (with default) and description. */
export const settings = {
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: optionalString,
    description:
      'Postgres connection string of companydata. Unset: make test / make demo start an embedded PostgreSQL and set it.',
  },
  dataSource: {
    env: 'DATA_SOURCE',
    schema: z.string().min(1).default('./data/source'),
    description: 'Where the source files are: a local directory or s3://bucket/prefix.',
  },
  dataPool: {
    env: 'DATA_POOL',
    schema: z.string().min(1).default('./data/pool'),
    description: 'Synthetic months not yet released into DATA_SOURCE (the future), used by synth release-month.',
  },
  synthManifest: {
    env: 'SYNTH_MANIFEST',
    schema: z.string().min(1).default('./data/manifest.json'),
    description: 'Manifest of the synthetic data (knobs, rows, Bayes-optimal AUC), written by synth generate.',
  },
  s3Endpoint: {
    env: 'S3_ENDPOINT',
    schema: optionalString,
    description: 'Custom S3 endpoint (an S3-compatible server such as s3rver or MinIO); unset = AWS.',
  },
  s3Region: {
    env: 'AWS_REGION',
    schema: z.string().min(1).default('eu-west-1'),
    description: 'AWS region of the S3 bucket (the public challenge bucket is in eu-west-1).',
  },
  s3Anonymous: {
    env: 'S3_ANONYMOUS',
    schema: bool.default(false),
    description:
      'Read S3 without credentials (public buckets). When false the default AWS credential chain is used, and it falls back to anonymous when no credentials are found.',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'pino log level.',
  },
  runId: {
    env: 'PROPEL_RUN_ID',
    schema: optionalString,
    description: 'Run id written in logs and run records (Airflow passes its run id); unset = a random id.',
  },
  progressIntervalSeconds: {
    env: 'PROGRESS_INTERVAL_SECONDS',
    schema: z.coerce.number().positive().default(5),
    description: 'Seconds between progress log lines when stderr is not a TTY.',
  },
  adminPassword: {
    env: 'PROPEL_ADMIN_PASSWORD',
    schema: optionalString,
    description: 'Password given to the admin role by migrate (unset: role without a password, no login by password).',
  },
  dsUserPassword: {
    env: 'PROPEL_DS_USER_PASSWORD',
    schema: optionalString,
    description: 'Password given to the read-only ds_user role by migrate.',
  },
  mleUserPassword: {
    env: 'PROPEL_MLE_USER_PASSWORD',
    schema: optionalString,
    description: 'Password given to the read/write mle_user role by migrate.',
  },
  analystPassword: {
    env: 'PROPEL_ANALYST_PASSWORD',
    schema: optionalString,
    description: 'Password given to the analyst role by migrate.',
  },
  alertWebhookUrl: {
    env: 'ALERT_WEBHOOK_URL',
    schema: optionalString,
    description:
      'Slack-compatible webhook that receives one message per new alert incident (unset: alerts are only stored).',
  },
  alertWebhookTimeoutMs: {
    env: 'ALERT_WEBHOOK_TIMEOUT_MS',
    schema: z.coerce.number().int().positive().default(3000),
    description: 'Timeout of one alert webhook call, in milliseconds.',
  },
  alertWebhookRetries: {
    env: 'ALERT_WEBHOOK_RETRIES',
    schema: z.coerce.number().int().min(0).max(10).default(2),
    description: 'Retries of a failed alert webhook call; after them the failure is logged, never fatal.',
  },
  modelBackend: {
    env: 'MODEL_BACKEND',
    schema: z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto'),
    description: 'TensorFlow.js backend of train/promote/score: auto tries tfjs-node, then wasm, then cpu.',
  },
  modelExportDir: {
    env: 'MODEL_EXPORT_DIR',
    schema: z.string().min(1).default('./models'),
    description: 'train exports every registered model version to <this>/<version>/ (model.json, weights.bin).',
  },
  holdoutPercent: {
    env: 'HOLDOUT_PERCENT',
    schema: z.coerce.number().int().min(1).max(50).default(20),
    description: 'Percent of customers (stable hash of idx) held out of every training set, used by promote.',
  },
  promotionMargin: {
    env: 'PROMOTION_MARGIN',
    schema: z.coerce.number().min(0).max(0.5).default(0.005),
    description: 'ROC-AUC by which a challenger must beat the champion on the holdout to be promoted.',
  },
  promotionMinAucLift: {
    env: 'PROMOTION_MIN_AUC_LIFT',
    schema: z.coerce.number().min(0).max(0.5).default(0.02),
    description: 'The absolute gate: the challenger ROC-AUC must exceed the prior baseline (0.5) by this much.',
  },
  driftPsiWarn: {
    env: 'DRIFT_PSI_WARN',
    schema: z.coerce.number().positive().default(0.1),
    description: 'PSI from which a feature counts as drifted (warning alert).',
  },
  driftPsiCritical: {
    env: 'DRIFT_PSI_CRITICAL',
    schema: z.coerce.number().positive().default(0.25),
    description: 'PSI from which drift is critical (critical alert).',
  },
  livePerfMaxAucDrop: {
    env: 'LIVE_PERF_MAX_AUC_DROP',
    schema: z.coerce.number().min(0).max(1).default(0.05),
    description: "live-performance: ROC-AUC drop below the version's holdout ROC-AUC that counts as degraded.",
  },
  livePerfMinLabelled: {
    env: 'LIVE_PERF_MIN_LABELLED',
    schema: z.coerce.number().int().min(1).default(200),
    description: 'live-performance: fewest predictions with a known outcome for a period to be judged.',
  },
} as const;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** Parses the environment once; an invalid value fails naming the env var. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  return parseSettings(settings, env);
}

/** Any settings table (env var + zod schema per key) parsed from env; the api's config uses it too. */
export function parseSettings<S extends Record<string, { env: string; schema: z.ZodType }>>(
  table: S,
  env: Record<string, string | undefined>,
): { [K in keyof S]: z.output<S[K]['schema']> } {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(table)) {
    const raw = env[setting.env];
    const parsed = (setting.schema as z.ZodType).safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => i.message).join('; ');
      throw badConfig(setting.env, `invalid value ${JSON.stringify(raw)}: ${reason}`);
    }
    out[key] = parsed.data;
  }
  return out as { [K in keyof S]: z.output<S[K]['schema']> };
}

/** The database URL, or a clear error naming the setting when a job needs it and it is unset. */
export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) throw badConfig('DATABASE_URL', 'is not set; the job needs the companydata database');
  return config.databaseUrl;
}
