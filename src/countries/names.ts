/** Display helpers for a country code: its English short name and its flag. */
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import shortNames from './lists/short-names.json' with { type: 'json' };

const englishNames: Readonly<Record<string, string | string[]>> = en.countries;
const commonNames: Readonly<Record<string, string>> = shortNames;

/** Regional indicator symbol letter A: a flag is the two letters of the code shifted into this block. */
const REGIONAL_INDICATOR_A = 0x1f1e6;

function normalise(code: string): string {
  return code.trim().toUpperCase();
}

/** True for an ISO 3166-1 alpha-2 code (any case): "MX", "pr", "XK". */
export function isCountryCode(code: string): boolean {
  const upper = normalise(code);
  return /^[A-Z]{2}$/.test(upper) && Object.hasOwn(englishNames, upper);
}

/**
 * English common short name ("Mexico", "United States", "Puerto Rico"). An unknown code is returned
 * as given, so a stale code in stored data still renders as something readable.
 */
export function countryName(code: string): string {
  const upper = normalise(code);
  if (!isCountryCode(upper)) return code;
  if (Object.hasOwn(commonNames, upper)) return commonNames[upper]!;
  const names = englishNames[upper]!;
  return typeof names === 'string' ? names : names[0]!;
}

/** The flag emoji of a code ("MX" → 🇲🇽); empty for anything that is not a country code. */
export function countryFlag(code: string): string {
  const upper = normalise(code);
  if (!isCountryCode(upper)) return '';
  return String.fromCodePoint(
    ...[...upper].map((letter) => REGIONAL_INDICATOR_A + letter.charCodeAt(0) - 'A'.charCodeAt(0)),
  );
}
