/**
 * Deliberately failing: `.ci/run` runs this file alone (vitest.config.ts
 * here) and fails CI if the test runner exits 0, so that nothing (a
 * dependency's exit hook, a wrapper script) can turn a red run green again.
 * Not part of the suite: its name does not end in `.test.ts`.
 */
import { expect, it } from 'vitest';

it('passes', () => {
  expect(1 + 1).toBe(2);
});

it('fails on purpose', () => {
  expect(1 + 1, 'this failure is the point of the self-check').toBe(3);
});
