/**
 * Interleaved A/B(/C...) across checkouts, shared by bench/gateway-interleaved.ts
 * (the gateways of several checkouts over one set of subgraphs) and
 * bench/subgraphs-interleaved.ts (each checkout with its own subgraphs too):
 * short load runs go to each checkout in turn, round after round, the order
 * alternating, so that a shared machine's changing load falls on all alike.
 * Prints each round's CPU ms/request of the chosen roles with the ratio to the
 * first checkout, then the sums over all rounds.
 */
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../platform/database/embedded-postgres.js';
import type { SubgraphName } from '../../platform/config.js';
import type { CpuReading } from './cpu-meter.js';
import { REPO_ROOT } from '../../platform/paths.js';
import { checkoutCode, parseForm, type CheckoutCode, type CodeForm } from './checkout-code.js';
import { parseNodeVersion } from './node-runtime.js';
import { OTHER_CHECKOUT_ENV, startOurGateway } from './gateways.js';
import { waitUntilAnswering } from './gateway-ready.js';
import type { LoadFixture, OperationName } from './operations.js';
import { runLoadProcess, type Scratch, type Service } from './services.js';

/** One side of an A/B: a checkout, the form its code runs in, and the Node.js release that runs it (`machine`, or BENCH_NODE's, else the image's unless given). */
export interface Checkout {
  root: string;
  form: CodeForm;
  node?: string;
}

export interface InterleaveOptions {
  rounds: number;
  seconds: number;
  vus: number;
  operations: OperationName[];
  /** BENCH_AB_ROOTS, resolved: the first is the reference. */
  checkouts: Checkout[];
}

/**
 * `--rounds 4 --seconds 3 --vus 8 --operations lookup,courseList [--form dist|tsx]` and
 * BENCH_AB_ROOTS=<a>,<b>[,...]: checkouts, each compiled as production runs it (`--form`'s default,
 * dist) unless it ends in `@tsx` (or `@dist`): `BENCH_AB_ROOTS=.@tsx,.@dist` measures one checkout both ways.
 * `@node<version>` runs a side under that Node.js release (bench/gateway/node-runtime.ts):
 * `@nodemachine` under the machine's node (the one running the bench); a side without either runs
 * under BENCH_NODE's, else the image's (the Dockerfile's): `BENCH_AB_ROOTS=.@nodemachine,.@node22.21.1`
 * measures one checkout under the machine's Node and Node 22.
 */
export function interleaveOptions(argv: string[], env = process.env): InterleaveOptions {
  const arg = (name: string, fallback: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1]! : fallback;
  };
  const form = parseForm(arg('--form', 'dist'));
  const checkouts = (env.BENCH_AB_ROOTS ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => parseCheckout(entry, form));
  if (checkouts.length < 2) throw new Error('BENCH_AB_ROOTS: two or more checkouts, the first the reference');
  return {
    rounds: Number(arg('--rounds', '4')),
    seconds: Number(arg('--seconds', '3')),
    vus: Number(arg('--vus', '8')),
    operations: arg('--operations', 'lookup,courseList').split(',') as OperationName[],
    checkouts,
  };
}

const SUFFIX = /@(node(?:[\d.]+|machine)|\w+)$/;

/** `<root>[@tsx|@dist][@node<version>|@nodemachine]`, in either order of the suffixes. */
export function parseCheckout(entry: string, defaultForm: CodeForm): Checkout {
  let root = entry;
  let form: CodeForm | undefined;
  let node: string | undefined;
  for (let suffix = SUFFIX.exec(root); suffix; suffix = SUFFIX.exec(root)) {
    if (suffix[1]!.startsWith('node')) node ??= parseNodeVersion(suffix[1]!.slice(4), `BENCH_AB_ROOTS (${entry})`);
    else form ??= parseForm(suffix[1], `BENCH_AB_ROOTS (${entry})`);
    root = root.slice(0, suffix.index);
  }
  return { root: path.resolve(root), form: form ?? defaultForm, ...(node !== undefined && { node }) };
}

/** A label per checkout: its index, folder name, form and Node.js release when one was given. */
export const checkoutLabel = ({ root, form, node }: Checkout, index: number) => `${index}:${path.basename(root)}/${form}${node === undefined ? '' : `/node${node}`}`;

/** Every checkout's code in its form, compiled first where asked (once each), with what will run printed. */
export async function prepareCheckouts(checkouts: Checkout[], print: (line: string) => void): Promise<CheckoutCode[]> {
  const codes: CheckoutCode[] = [];
  for (const [index, checkout] of checkouts.entries()) {
    const code = await checkoutCode(checkout.root, checkout.form, print, checkout.node ?? process.env.BENCH_NODE);
    print(`${checkoutLabel(checkout, index)} runs ${code.description}`);
    codes.push(code);
  }
  return codes;
}

/** Our gateway of `code`'s checkout, started and answering a lookup. */
export async function startGatewayAt(
  code: CheckoutCode,
  name: string,
  options: {
    scratch: Scratch;
    subgraphUrls: Record<SubgraphName, string>;
    supergraphPath: string;
    databaseUrl: string;
    env: Record<string, string>;
    fixture: LoadFixture;
    cpuProfileDir?: string;
  },
): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  const service = startOurGateway(code, name, { ...options, port, processes: 1 }, code.root === REPO_ROOT ? {} : OTHER_CHECKOUT_ENV());
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitUntilAnswering(service, url, options.fixture);
  return { service, url };
}

export interface Contender {
  label: string;
  /** The gateway's GraphQL endpoint the load goes to. */
  url: string;
  /** CPU ms so far of each role this checkout owns (a CpuMeter's reading). */
  read: () => Promise<CpuReading>;
}

const ratio = (value: number, reference: number) => (reference > 0 ? (value / reference).toFixed(2) : '-');

/**
 * Warms every contender, then runs the rounds. `roles`: which roles of the
 * readings to print (`total` is their sum over every role read, and with
 * `postgres` among them, each contender's total/postgres is printed too).
 */
export async function interleave(contenders: Contender[], options: InterleaveOptions & { fixturePath: string; roles: string[]; print: (line: string) => void }): Promise<void> {
  const { operations, rounds, seconds, vus, fixturePath, roles, print } = options;
  const run = (url: string, operation: OperationName, s: number) => runLoadProcess({ url, operation, fixturePath, vus, seconds: s, maxRequests: 200_000 });
  // JIT, caches and pools warm before measuring.
  for (const contender of contenders) for (const operation of operations) await run(contender.url, operation, 2);

  // Per operation and contender: CPU ms of each role summed over the rounds, and the requests.
  const sums = new Map<string, { cpu: Record<string, number>; requests: number; errors: number }>();
  const perRequest = (cpu: Record<string, number>, requests: number) =>
    Object.fromEntries(roles.map((role) => [role, requests > 0 ? (role === 'total' ? Object.values(cpu).reduce((a, b) => a + b, 0) : (cpu[role] ?? 0)) / requests : Number.NaN]));
  const printRoles = (prefix: string, figures: Map<string, Record<string, number>>) => {
    const reference = figures.get(contenders[0]!.label)!;
    for (const role of roles)
      print(
        `${prefix} ${role}: ${contenders.map((c) => `${c.label} ${figures.get(c.label)![role]!.toFixed(3)} (${ratio(figures.get(c.label)![role]!, reference[role]!)})`).join('  ')}`,
      );
    if (roles.includes('total') && roles.includes('postgres'))
      print(`${prefix} total/postgres: ${contenders.map((c) => `${c.label} ${ratio(figures.get(c.label)!.total!, figures.get(c.label)!.postgres!)}`).join('  ')}`);
  };

  for (let round = 0; round < rounds; round++) {
    // Alternate the order each round: no checkout always runs first.
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const operation of operations) {
      const figures = new Map<string, Record<string, number>>();
      for (const contender of order) {
        const before = await contender.read();
        const result = await run(contender.url, operation, seconds);
        const after = await contender.read();
        const cpu = Object.fromEntries(Object.entries(after).map(([role, end]) => [role, Math.max(0, end - (before[role] ?? 0))]));
        const key = `${operation} ${contender.label}`;
        const sum = sums.get(key) ?? { cpu: {}, requests: 0, errors: 0 };
        for (const [role, ms] of Object.entries(cpu)) sum.cpu[role] = (sum.cpu[role] ?? 0) + ms;
        sum.requests += result.requests;
        sum.errors += result.errors;
        sums.set(key, sum);
        figures.set(contender.label, perRequest(cpu, result.requests));
      }
      printRoles(`round ${round + 1} ${operation} (load ${os.loadavg()[0]!.toFixed(1)})`, figures);
    }
  }
  for (const operation of operations) {
    const figures = new Map(contenders.map((c) => [c.label, perRequest(sums.get(`${operation} ${c.label}`)!.cpu, sums.get(`${operation} ${c.label}`)!.requests)]));
    print(
      `sum ${operation} requests: ${contenders.map((c) => `${c.label} ${sums.get(`${operation} ${c.label}`)!.requests} (errors ${sums.get(`${operation} ${c.label}`)!.errors})`).join('  ')}`,
    );
    printRoles(`sum ${operation} ms/req`, figures);
  }
}
