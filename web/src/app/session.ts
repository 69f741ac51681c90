/**
 * Who is signed in: a Bheem Passport token (a JWT) kept in localStorage, and
 * the claims the pages need (name, roles) read from it. The API verifies the
 * token; reading it here only decides what to show.
 *
 * Development: the token is pasted (`npm run -s token -- --user sam.student`),
 * or the demo administrator's is taken from the gateway (/app/session.json,
 * embedded mode only). Production: Bheem Passport's OIDC authorization-code
 * flow with PKCE; the callback hands the access token to `signIn()`, and on
 * expiry (a 401 UNAUTHENTICATED) the app sends the user back to sign in.
 */
import { computed, ref } from 'vue';

const STORAGE_KEY = 'bheem.token';
/** Set by an explicit sign-out: the demo administrator's token is then no longer taken on its own. */
const SIGNED_OUT_KEY = 'bheem.signed-out';

export interface Claims {
  sub: string;
  name?: string;
  email?: string;
  roles: string[];
  companyId?: string;
  moodleUserId?: string;
  expiresAt?: Date;
}

export interface GatewaySession {
  authMode: 'dev' | 'jwks';
  /** The demo administrator's dev token (embedded mode only). */
  devToken?: string;
}

export const token = ref<string | null>(localStorage.getItem(STORAGE_KEY));

export function decodeClaims(jwt: string): Claims | null {
  try {
    const payload = jwt.split('.')[1];
    if (!payload) return null;
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    if (typeof json.sub !== 'string') return null;
    return {
      sub: json.sub,
      name: typeof json.name === 'string' ? json.name : undefined,
      email: typeof json.email === 'string' ? json.email : undefined,
      roles: Array.isArray(json.roles) ? json.roles.filter((role): role is string => typeof role === 'string') : [],
      companyId: typeof json.company_id === 'string' ? json.company_id : undefined,
      moodleUserId: json.moodle_user_id === undefined ? undefined : String(json.moodle_user_id),
      expiresAt: typeof json.exp === 'number' ? new Date(json.exp * 1000) : undefined,
    };
  } catch {
    return null;
  }
}

export const claims = computed(() => (token.value ? decodeClaims(token.value) : null));
export const isAdmin = computed(() => claims.value?.roles.includes('admin') ?? false);
/** Company staff (the ERP's admin, manager and employee roles): they have leave. */
export const isStaff = computed(() => claims.value?.roles.some((role) => role === 'admin' || role === 'manager' || role === 'employee') ?? false);

export function signIn(jwt: string): Claims {
  const decoded = decodeClaims(jwt.trim());
  if (!decoded) throw new Error('This is not a Bheem Passport token (a JWT with a subject)');
  if (decoded.expiresAt && decoded.expiresAt.getTime() <= Date.now()) throw new Error('This token has expired: get a new one');
  localStorage.setItem(STORAGE_KEY, jwt.trim());
  localStorage.removeItem(SIGNED_OUT_KEY);
  sessionEnded.value = null;
  token.value = jwt.trim();
  return decoded;
}

/** Why the user was signed out without asking (an expired or refused token), for the sign-in page to say. */
export const sessionEnded = ref<string | null>(null);

/** `explicit`: the user asked (not an expired or refused token). */
export function signOut(explicit = false): void {
  if (!token.value) return;
  const expired = claims.value?.expiresAt !== undefined && claims.value.expiresAt.getTime() <= Date.now();
  sessionEnded.value = explicit ? null : expired ? 'Your session has expired: sign in again to continue.' : 'Your sign-in was refused: sign in again to continue.';
  localStorage.removeItem(STORAGE_KEY);
  if (explicit) localStorage.setItem(SIGNED_OUT_KEY, '1');
  token.value = null;
}

/** In embedded dev mode a first visit is signed in as the demo administrator, until the user signs out. */
export const mayAutoSignIn = () => localStorage.getItem(SIGNED_OUT_KEY) === null;

export async function gatewaySession(): Promise<GatewaySession | null> {
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}session.json`, { headers: { accept: 'application/json' } });
    return response.ok ? ((await response.json()) as GatewaySession) : null;
  } catch {
    return null;
  }
}
