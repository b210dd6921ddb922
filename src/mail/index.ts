import type { CustomRoute } from '@slack/bolt';
import { createMailHandler, type MailWebhookDeps } from './handler.js';
import { createSnsHandler, SNS_PATH, type SnsDeps } from './sns/handler.js';

export { createMailHandler, type MailWebhookDeps } from './handler.js';
export type { MailLimits } from './limits.js';

export const MAIL_WEBHOOK_PATH = '/mail/inbound';
/**
 * Also served as /mail/inbound/mime: Mailgun sends the raw message (`body-mime`) only to a forward
 * URL ending in "mime". The same handler serves both. (Bolt matches routes with path-to-regexp 8.)
 */
const ROUTE_PATH = `${MAIL_WEBHOOK_PATH}{/mime}`;

/**
 * Every method is routed here so that anything but POST gets a JSON 405 with `Allow: POST`
 * instead of Bolt's generic 404.
 */
const ROUTED_METHODS = ['POST', 'GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The inbound mail webhook as a Bolt custom route (HTTPReceiver `customRoutes`). */
export function mailWebhookRoute(deps: MailWebhookDeps): CustomRoute {
  const handle = createMailHandler(deps);
  return {
    path: ROUTE_PATH,
    method: ROUTED_METHODS,
    handler: (req, res) => {
      void handle(req, res);
    },
  };
}

/** Amazon SES mail delivered by SNS (issue 12.5), on its own path. */
export function snsRoute(deps: SnsDeps): CustomRoute {
  const handle = createSnsHandler(deps);
  return {
    path: SNS_PATH,
    method: ROUTED_METHODS,
    handler: (req, res) => {
      void handle(req, res);
    },
  };
}
