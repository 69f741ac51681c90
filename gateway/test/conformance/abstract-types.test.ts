import { runSuite } from './support/run-suite.js';
import { abstractTypesSuite } from './suites/abstract-types.js';

runSuite(abstractTypesSuite);
