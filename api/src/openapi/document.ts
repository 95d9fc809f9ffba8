/** /openapi.json, generated from the zod schemas that validate the requests (OpenAPI 3.1). */
import { z } from 'zod';
import {
  BatchPredictResponse,
  ErrorResponse,
  FeedbackRequest,
  FeedbackResponse,
  PredictRequest,
  PredictResponse,
  batchRequest,
} from '../predict/schemas';

type JsonSchema = Record<string, unknown>;

/** Converts schemas into components; nested ids become component references. */
function collect(entries: Array<[name: string, schema: z.ZodType, io: 'input' | 'output']>) {
  const components: Record<string, JsonSchema> = {};
  const refs: Record<string, JsonSchema> = {};
  for (const [name, schema, io] of entries) {
    const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
    const text = JSON.stringify(json).replaceAll('#/$defs/', '#/components/schemas/');
    const {
      $defs,
      $schema: _ignored,
      ...rest
    } = JSON.parse(text) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    Object.assign(components, $defs ?? {});
    if (typeof rest.$ref === 'string') {
      refs[name] = { $ref: rest.$ref };
    } else {
      components[name] = rest;
      refs[name] = { $ref: `#/components/schemas/${name}` };
    }
  }
  return { components, refs };
}

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });

export function openApiDocument(options: { maxBatch: number; apiKeys: boolean; version: string }): JsonSchema {
  const { components, refs } = collect([
    ['PredictRequest', PredictRequest, 'input'],
    ['BatchPredictRequest', batchRequest(options.maxBatch), 'input'],
    ['PredictResponse', PredictResponse, 'output'],
    ['BatchPredictResponse', BatchPredictResponse, 'output'],
    ['FeedbackRequest', FeedbackRequest, 'input'],
    ['FeedbackResponse', FeedbackResponse, 'output'],
    ['Error', ErrorResponse, 'output'],
  ]);
  const ref = (name: string) => refs[name] as JsonSchema;
  const error = (description: string) => ({ description, ...json(ref('Error')) });
  const security = options.apiKeys ? [{ apiKey: [] }] : [];
  const protectedErrors = {
    ...(options.apiKeys ? { '401': error('missing or wrong API key') } : {}),
    '400': error('invalid body; details name every bad field'),
    '413': error('body too large'),
    '415': error('not application/json'),
  };
  const anyObject = { type: 'object' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Propel prediction API',
      version: options.version,
      description:
        'Scores customers with the champion model. Known idx: missing features come from the feature store; unknown idx: attr_a, attr_b, scd_a and scd_b are required.',
    },
    paths: {
      '/predict': {
        post: {
          operationId: 'predict',
          summary: 'Score one customer (challenge contract) or a batch ({"instances": [...]})',
          security,
          requestBody: { required: true, ...json({ oneOf: [ref('PredictRequest'), ref('BatchPredictRequest')] }) },
          responses: {
            '200': { description: 'scores', ...json({ oneOf: [ref('PredictResponse'), ref('BatchPredictResponse')] }) },
            ...protectedErrors,
            '503': error('no model loaded yet'),
          },
        },
      },
      '/feedback': {
        post: {
          operationId: 'feedback',
          summary: 'Record the actual outcome of a customer',
          security,
          requestBody: { required: true, ...json(ref('FeedbackRequest')) },
          responses: {
            '201': { description: 'recorded', ...json(ref('FeedbackResponse')) },
            ...protectedErrors,
            '503': error('no database configured'),
          },
        },
      },
      '/models': {
        get: {
          operationId: 'models',
          summary: 'The served model and the versions the source knows',
          security,
          responses: {
            '200': { description: 'models', ...json(anyObject) },
            ...(options.apiKeys ? { '401': error('missing or wrong API key') } : {}),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness',
          responses: { '200': { description: 'alive', ...json(anyObject) } },
        },
      },
      '/ready': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: a model is loaded (and the database is reachable when configured)',
          responses: { '200': { description: 'ready', ...json(anyObject) }, '503': error('not ready') },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          responses: {
            '200': { description: 'text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
          },
        },
      },
    },
    components: {
      schemas: components,
      ...(options.apiKeys ? { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } } : {}),
    },
  };
}
