export { aligned, domainOf } from './align.js';
export { checkSender, type SenderAuthOptions } from './check.js';
export type { ProviderVerdict, SenderAuthMode, SenderCheck, SenderEvidence, Transport } from './types.js';
export {
  authenticationResultsVerdict,
  mailgunVerdict,
  receivedSpfVerdict,
  sendgridVerdict,
} from './verdicts.js';
