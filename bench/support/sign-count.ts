/**
 * Instructions per identity signature (platform/auth/gateway-signature.ts) of a checkout, under callgrind:
 * the whole process signing N times, less the same process signing none, over N. 200 viewers (as the gateway
 * bench's callers), one audience, the lookup's body.
 *
 *   valgrind --tool=callgrind --callgrind-out-file=<out> node --import tsx bench/support/sign-count.ts <checkout> <N>
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [root = '.', count = '0'] = process.argv.slice(2);
const { signIdentity } = (await import(pathToFileURL(path.resolve(root, 'platform/auth/gateway-signature.ts')).href)) as typeof import('../../platform/auth/gateway-signature.js');
const viewers = Array.from({ length: 200 }, (_, index) => ({
  userId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
  companyId: `00000000-0000-4000-8000-${String(1_000 + (index % 4)).padStart(12, '0')}`,
  roles: ['admin'],
  name: `User ${index}`,
  email: `u${index}@bench.invalid`,
  moodleUserId: String(index + 2),
}));
let length = 0;
// Warm: every viewer's first signature (and the JIT) outside the count's difference.
for (let index = 0; index < 20_000; index++) length += signIdentity('a-signing-secret', viewers[index % 200]!, 'academy', body(index)).length;
for (let index = 0; index < Number(count); index++) length += signIdentity('a-signing-secret', viewers[index % 200]!, 'academy', body(index)).length;
console.log(length);

function body(index: number): string {
  return JSON.stringify({ query: 'query($id:ID!){course(id:$id){id shortname fullname summary}}', variables: { id: String(index % 400) } });
}
