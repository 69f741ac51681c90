/**
 * livekit-server-sdk, loaded where it is first used (a join token, a webhook, a call to LiveKit), not with
 * meet's code: a start that never meets LiveKit does not pay for loading it (platform/lazy-require.ts). Its
 * CommonJS build, the copy `require` loads; meet's own code reaches the SDK through here only.
 */
import { requireWhenUsed } from '../../../platform/lazy-require.js';

export const livekitSdk = () => requireWhenUsed('livekit-server-sdk') as typeof import('livekit-server-sdk');
