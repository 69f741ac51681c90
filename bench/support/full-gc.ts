/**
 * A full garbage collection of this process, without starting node with
 * --expose-gc: the flag set at run time and `gc` taken from a fresh context,
 * which then has it (V8 installs it on contexts made after the flag).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
