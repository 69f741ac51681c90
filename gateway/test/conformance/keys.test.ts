import { runSuite } from './support/run-suite.js';
import { keysSuite } from './suites/keys.js';

runSuite(keysSuite);
