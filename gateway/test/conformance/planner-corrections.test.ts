import { runSuite } from './support/run-suite.js';
import { plannerCorrectionsSuite } from './suites/planner-corrections.js';

runSuite(plannerCorrectionsSuite);
