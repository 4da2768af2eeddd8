/** SARIF 2.1.0 from any scanner: the parser (for CI runs' artifacts) and `POST /webhooks/sarif`. */
export { maxFindings, parseSarif, SarifError } from './parse.ts';
export { packageFacts, purlFacts } from './scanner-text.ts';
export { verifyBearer } from './verify.ts';
export { type SarifWebhookOptions, sarifWebhook, sarifWebhookPath } from './webhook.ts';
