/**
 * Countries: which ones a text is about, and which one a user means. The public face of src/countries;
 * other modules import from here only.
 */
export { countriesIn, type MatchOptions } from './mentions.js';
export { countryFlag, countryName, isCountryCode } from './names.js';
export {
  type CountryRef,
  exactCountry,
  MAX_SUGGESTIONS,
  type Resolution,
  resolveCountry,
} from './resolve.js';
export { type Salience, type SalienceOptions, sharingReads, storySalience } from './salience.js';
