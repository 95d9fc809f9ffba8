/**
 * Alerts: one row per incident in `alerts` (a repeat of the same incident updates it), posted to
 * ALERT_WEBHOOK_URL as Slack-compatible JSON when set. A webhook that is down or slow is retried
 * with a timeout, then logged and counted: it never hangs or fails the job that raised the alert.
 */
import type { Config } from '../config';
import type { Db } from '../db/connection';
import type { Logger } from '../logging';

export interface Alert {
  kind: string;
  severity: 'critical' | 'warning';
  message: string;
  details?: Record<string, unknown>;
  link?: string;
  /** Identifies the incident: the same key updates the same row instead of adding one. */
  incidentKey: string;
}

export interface WebhookOptions {
  url?: string;
  timeoutMs: number;
  retries: number;
}

/** The webhook settings of the jobs' config (ALERT_WEBHOOK_URL, _TIMEOUT_MS, _RETRIES). */
export const webhookOptions = (config: Config): WebhookOptions => ({
  url: config.alertWebhookUrl,
  timeoutMs: config.alertWebhookTimeoutMs,
  retries: config.alertWebhookRetries,
});

export interface RaiseResult {
  /** true when this call opened a new incident (the webhook is told only then). */
  opened: boolean;
  delivered: boolean | null;
}

export async function raiseAlert(db: Db, alert: Alert, webhook: WebhookOptions, logger: Logger): Promise<RaiseResult> {
  const { rows } = await db.raw<{ rows: Array<{ opened: boolean }> }>(
    `INSERT INTO alerts (incident_key, kind, severity, message, details, link)
     VALUES (?, ?, ?, ?, ?::jsonb, ?)
     ON CONFLICT (incident_key) DO UPDATE
       SET occurrences = alerts.occurrences + 1, last_seen = now(), message = EXCLUDED.message,
           details = EXCLUDED.details, status = 'open'
     RETURNING (xmax = 0) AS opened`,
    [
      alert.incidentKey,
      alert.kind,
      alert.severity,
      alert.message,
      JSON.stringify(alert.details ?? {}),
      alert.link ?? null,
    ],
  );
  const opened = rows[0]?.opened ?? false;
  logger.warn({ alert: alert.incidentKey, severity: alert.severity, opened }, alert.message);
  if (!opened || !webhook.url) return { opened, delivered: null };
  return { opened, delivered: await postToWebhook(alert, webhook, logger) };
}

/** Slack-compatible body: `text` plus a block with the details. */
export function webhookBody(alert: Alert): Record<string, unknown> {
  const icon = alert.severity === 'critical' ? ':rotating_light:' : ':warning:';
  return {
    text: `${icon} [${alert.severity}] ${alert.kind}: ${alert.message}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${alert.kind}* (${alert.severity})\n${alert.message}` } },
      ...(alert.link ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${alert.link}|details>` }] }] : []),
    ],
  };
}

async function postToWebhook(alert: Alert, webhook: WebhookOptions, logger: Logger): Promise<boolean> {
  for (let attempt = 1; attempt <= webhook.retries + 1; attempt++) {
    try {
      const response = await fetch(webhook.url as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookBody(alert)),
        signal: AbortSignal.timeout(webhook.timeoutMs),
      });
      if (response.ok) return true;
      logger.warn({ attempt, status: response.status }, 'alert webhook answered with an error');
    } catch (error) {
      logger.warn({ attempt, err: String(error) }, 'alert webhook unreachable');
    }
    if (attempt <= webhook.retries) await new Promise((r) => setTimeout(r, 200 * attempt));
  }
  logger.error(
    { alert: alert.incidentKey },
    'alert webhook failed after retries; the alert is stored in the alerts table',
  );
  return false;
}
