/** The tus endpoint of resumable uploads, on the public origin (the gateway forwards /files/). */
export const TUS_PATH = '/files/tus';

/** The upload id a tus URL names (`/files/tus/<id>`), '' for the endpoint itself, null for anything else. */
export function tusUploadIdOf(pathname: string): string | null {
  if (pathname === TUS_PATH || pathname === `${TUS_PATH}/`) return '';
  const match = /^\/files\/tus\/([0-9a-f-]{36})$/.exec(pathname);
  return match ? match[1]! : null;
}
