/** Actual outcomes sent to POST /feedback, stored next to the prediction log. */
import type { Knex } from 'knex';

export interface FeedbackInput {
  idx: number;
  label: 0 | 1;
  request_id?: string;
}

/** Records an outcome; the same request_id twice keeps one row (the latest label). */
export async function recordFeedback(db: Knex, input: FeedbackInput): Promise<number> {
  const row = { idx: input.idx, label: input.label, request_id: input.request_id ?? null };
  const query = db('feedback').insert(row).returning('id');
  const [inserted] = input.request_id
    ? await query.onConflict('request_id').merge({ label: input.label, idx: input.idx, received_at: db.fn.now() })
    : await query;
  return Number((inserted as { id: number | string }).id);
}
