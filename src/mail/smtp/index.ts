import { readFileSync } from 'node:fs';
import type { Logger } from '@slack/bolt';
import type { Config } from '../../config.js';
import type { Ingest } from '../../ingest/types.js';
import type { RecipientRoute } from './receiver.js';

export type { RecipientRoute, RecipientVerdict, SmtpDeps } from './receiver.js';

/**
 * Starts the SMTP receiver when SMTP_PORT is set; returns its stop, or null. smtp-server is loaded
 * only then, so a bot without SMTP never holds it in memory.
 */
export async function startSmtp(
  deps: { config: Config; logger: Logger } & ({ ingest: Ingest } | { route: RecipientRoute }),
): Promise<(() => Promise<void>) | null> {
  const { config, logger } = deps;
  if (config.smtpPort === null) return null;
  const tls =
    config.smtpTlsCert && config.smtpTlsKey
      ? { cert: readFileSync(config.smtpTlsCert, 'utf8'), key: readFileSync(config.smtpTlsKey, 'utf8') }
      : undefined;
  const { createSmtpReceiver } = await import('./receiver.js');
  const way = 'route' in deps ? { route: deps.route } : { ingest: deps.ingest };
  const server = createSmtpReceiver({ config, logger, ...way, ...(tls ? { tls } : {}) });
  server.listen(config.smtpPort, config.host, () =>
    logger.info(`SMTP receiver on ${config.host}:${config.smtpPort}${tls ? ' (STARTTLS)' : ''}`),
  );
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
