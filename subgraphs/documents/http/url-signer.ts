/** The platform's URL signer (platform/http/url-signer.ts), where documents' routes have always imported it from. */
export { type SignatureCheck, UrlSigner } from '../../../platform/http/url-signer.js';
