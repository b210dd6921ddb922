import type { Services } from '../../services.js';
import type { AnswerContext } from './answer.js';

/** The answer's view of the services, read at request time so the injectable clock is honoured. */
export function answerContext(services: Services): AnswerContext {
  return {
    store: services.store,
    now: services.now(),
    timeZone: services.config.newsroomTz,
    dateOrder: services.config.dateOrder,
  };
}

export const SORRY = 'Sorry, something went wrong answering that. It has been logged; please try again.';
