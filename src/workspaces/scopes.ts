/**
 * The bot scopes an install asks for: exactly manifest.yml's `oauth_config.scopes.bot` (a test keeps
 * them in step, and the local stand-in grants the same). Why each is needed is commented there.
 */
export const BOT_SCOPES: readonly string[] = [
  'chat:write',
  'channels:join',
  'channels:read',
  'groups:read',
  'commands',
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'users:read',
  'im:write',
  'im:history',
  'files:read',
];
