/** Range parsing is shared plumbing (platform/http/byte-range.ts). */
export { parseRange, type RangeRequest } from '../../../platform/http/byte-range.js';
