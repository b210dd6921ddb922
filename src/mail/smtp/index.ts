import { readFileSync } from 'node:fs';
import type { Services } from '../../services.js';

export type { SmtpDeps } from './receiver.js';

/**
 * Starts the SMTP receiver when SMTP_PORT is set; returns its stop, or null. smtp-server is loaded
 * only then, so a bot without SMTP never holds it in memory.
 */
export async function startSmtp(
  services: Pick<Services, 'config' | 'ingest' | 'logger'>,
): Promise<(() => Promise<void>) | null> {
  const { config, ingest, logger } = services;
  if (config.smtpPort === null) return null;
  const tls =
    config.smtpTlsCert && config.smtpTlsKey
      ? { cert: readFileSync(config.smtpTlsCert, 'utf8'), key: readFileSync(config.smtpTlsKey, 'utf8') }
      : undefined;
  const { createSmtpReceiver } = await import('./receiver.js');
  const server = createSmtpReceiver({ config, ingest, logger, ...(tls ? { tls } : {}) });
  server.listen(config.smtpPort, config.host, () =>
    logger.info(`SMTP receiver on ${config.host}:${config.smtpPort}${tls ? ' (STARTTLS)' : ''}`),
  );
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
