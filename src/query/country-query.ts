/**
 * Splits `/country <name> [period]`. Country names have spaces ("Costa Rica", "El Salvador",
 * "República Dominicana") and periods do too ("last 7 days"), so the split is where the rest first reads
 * as a period: the shortest name that leaves a valid period wins, else the whole text is the name.
 */
import { normalise, type Parsed } from './date-expression.js';
import { defaultPeriod, type Period, type PeriodContext, parsePeriod } from './period.js';

/** No country name runs past six words ("Saint Vincent and the Grenadines" is five). */
export const MAX_NAME_WORDS = 6;
/** A name and a period fit easily in this; longer input is refused before any parsing. */
export const MAX_COUNTRY_ARGS_CHARS = 200;

export interface CountryArgs {
  name: string;
  period: Period;
  /**
   * When no tail read as a period but one looked like it tried ("Peru last 0 days"), why it failed:
   * the caller shows it if the whole text is not a country name either.
   */
  periodProblem: string | null;
}

export function splitCountryArgs(input: string, ctx: PeriodContext): Parsed<CountryArgs> {
  if (input.length > MAX_COUNTRY_ARGS_CHARS)
    return { ok: false, error: 'That is too long for a country and a period.' };
  const words = input.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: false, error: 'Name a country, e.g. `/country Peru`.' };
  let periodError: string | null = null;
  for (let cut = 1; cut < words.length && cut <= MAX_NAME_WORDS; cut += 1) {
    const rest = words.slice(cut).join(' ');
    const period = parsePeriod(rest, ctx);
    if (period.ok) {
      return {
        ok: true,
        value: { name: words.slice(0, cut).join(' '), period: period.value, periodProblem: null },
      };
    }
    // Remember why the shortest plausible tail failed, in case the whole text is not a country either.
    if (periodError === null && looksLikePeriod(rest)) periodError = period.error;
  }
  return {
    ok: true,
    value: { name: words.join(' '), period: defaultPeriod(ctx), periodProblem: periodError },
  };
}

/** Does this tail start like a period ("last …", "since …", a year) rather than a name's second word? */
function looksLikePeriod(text: string): boolean {
  return /^(?:last|past|this|since|from|between|in|en|em|desde|entre|ultim|\d)/.test(normalise(text));
}
