import type { CustomRoute } from '@slack/bolt';
import { newLogId, withLogContext } from './context.js';

/** Each HTTP request to a custom route runs under its own log id, also sent back as x-request-id. */
export function withRequestId(route: CustomRoute): CustomRoute {
  return {
    ...route,
    handler: (req, res) => {
      const req_id = newLogId();
      res.setHeader('x-request-id', req_id);
      return withLogContext({ req: req_id }, () => route.handler(req, res));
    },
  };
}
