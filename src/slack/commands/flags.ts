import { countryFlag } from '../../countries/index.js';

/** Flags for ISO codes, space-separated; codes without a flag are skipped. */
export function flags(codes: readonly string[]): string {
  return codes
    .map((code) => countryFlag(code))
    .filter(Boolean)
    .join(' ');
}
