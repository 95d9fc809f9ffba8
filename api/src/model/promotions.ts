/**
 * LISTEN propel_model_promoted on a dedicated connection: the promote step NOTIFYs the new champion's
 * version. A lost connection is re-opened with a back-off; the holder's poll covers the gap.
 */
import pg from 'pg';
import type { Logger } from 'pino';

export const PROMOTION_CHANNEL = 'propel_model_promoted';

export async function listenForPromotions(
  databaseUrl: string,
  logger: Logger,
  onVersion: (version: string | undefined) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const open = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === PROMOTION_CHANNEL) onVersion(message.payload || undefined);
    });
    next.on('error', (error) => {
      logger.warn({ err: error }, 'promotion listener lost its connection; reconnecting');
      void next.end().catch(() => undefined);
      schedule();
    });
    await next.connect();
    await next.query(`LISTEN ${PROMOTION_CHANNEL}`);
    client = next;
    // A promotion may have happened while we were not listening.
    onVersion(undefined);
  };
  const schedule = () => {
    if (stopped || retry) return;
    client = undefined;
    retry = setTimeout(() => {
      retry = undefined;
      open().catch((error: unknown) => {
        logger.warn({ err: error }, 'promotion listener reconnect failed');
        schedule();
      });
    }, 2000);
    retry.unref();
  };

  await open();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
