/**
 * CommonJS packages loaded where they are first used instead of with the code that may use them: the AWS SDK,
 * OpenTelemetry's SDK and nodemailer cost about a second of CPU to load, at every start, in processes that
 * never talk to S3, export traces or send mail (the embedded defaults). Synchronous, so that constructors and
 * factories stay as they are; CommonJS only, so that the copy loaded is the one an `import` would load.
 */
import { createRequire } from 'node:module';

export const requireWhenUsed = createRequire(import.meta.url);
