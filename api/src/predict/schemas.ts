/**
 * The request and response schemas of the prediction API. The same zod objects validate requests
 * and generate /openapi.json, so the document cannot drift from what the API accepts.
 */
import { z } from 'zod';

/** Customer id of the challenge (customer_profiles.idx). */
// customer_profiles.idx is a PostgreSQL integer: a larger id is bad input (400), not a failed lookup.
export const Idx = z.int().min(0).max(2_147_483_647).describe('Customer id (customer_profiles.idx).');

/** The four challenge features; each optional for a known idx (the feature store fills the gaps). */
export const ChallengeFeatures = z
  .strictObject({
    attr_a: z
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .optional()
      .describe('Profile attribute a (integer, 1-5 in the data).'),
    attr_b: z.string().min(1).max(64).optional().describe('Profile attribute b (category, a-d in the data).'),
    scd_a: z.number().min(-1e9).max(1e9).optional().describe('Activity attribute a (0-1 in the data).'),
    scd_b: z.int().min(-1_000_000).max(1_000_000).optional().describe('Activity attribute b (integer).'),
  })
  .describe('Features sent with the request; they win over the feature store.');

export const PredictRequest = z
  .strictObject({
    idx: Idx,
    features: ChallengeFeatures.optional().default({}),
  })
  .meta({
    id: 'PredictRequest',
    examples: [{ idx: 150000, features: { attr_a: 1, attr_b: 'c', scd_a: 0.55, scd_b: 3 } }],
  });

export const Prediction = z
  .object({
    idx: Idx,
    label: z.union([z.literal(0), z.literal(1)]).describe('1 when probability >= the model threshold.'),
    probability: z.number().min(0).max(1),
  })
  .meta({ id: 'Prediction' });

export const PredictResponse = z
  .object({
    label: z.union([z.literal(0), z.literal(1)]),
    probability: z.number().min(0).max(1),
    model_version: z.string(),
    request_id: z.string(),
  })
  .meta({ id: 'PredictResponse' });

/** The batch body; the count bound comes from MAX_BATCH, so the schema is built from it. */
export const batchRequest = (maxBatch: number) =>
  z
    .strictObject({ instances: z.array(PredictRequest).min(1).max(maxBatch) })
    .describe(`A batch of at most ${maxBatch} instances (MAX_BATCH).`);

export const BatchPredictResponse = z
  .object({ predictions: z.array(Prediction), model_version: z.string(), request_id: z.string() })
  .meta({ id: 'BatchPredictResponse' });

export const FeedbackRequest = z
  .strictObject({
    idx: Idx,
    label: z.union([z.literal(0), z.literal(1)]).describe('The actual outcome.'),
    request_id: z.string().min(1).max(128).optional().describe('request_id of the prediction this outcome is for.'),
  })
  .meta({ id: 'FeedbackRequest' });

export const FeedbackResponse = z
  .object({ id: z.int(), status: z.literal('recorded') })
  .meta({ id: 'FeedbackResponse' });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export type PredictRequestBody = z.output<typeof PredictRequest>;
export type PredictionOut = z.output<typeof Prediction>;
