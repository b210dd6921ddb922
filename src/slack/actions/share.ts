import type { Services } from '../../services.js';
import { answerRequest } from '../commands/answer.js';
import { requestButton } from './show.js';

/**
 * "Share in channel": the same answer, posted for everyone through response_url, which works in
 * channels the bot is not a member of and in DMs, where chat.postMessage would fail.
 */
export function shareAction(services: Services) {
  return requestButton(services, 'sharing an answer failed', async (request, ctx, userId) => ({
    response_type: 'in_channel',
    replace_original: false,
    ...(await answerRequest(request, ctx, { sharedBy: userId })),
  }));
}
