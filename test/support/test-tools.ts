/**
 * Debian packages that integration tests need (real CalDAV and WebDAV
 * servers). Installed when we can (root with apt), otherwise the run stops
 * with the exact command to run: no test silently skips.
 */
import { execFileSync, execSync } from 'node:child_process';

/** `probe` is a shell check that succeeds when the package is usable. */
export const REQUIRED_TOOLS: { probe: string; aptPackage: string; usedBy: string }[] = [
  { probe: 'command -v rclone', aptPackage: 'rclone', usedBy: 'documents WebDAV tests' },
  { probe: 'command -v radicale', aptPackage: 'radicale', usedBy: 'calendar CalDAV tests' },
  // Radicale reads TZIDs through vobject, which needs pytz (only "recommended" by Debian).
  { probe: "/usr/bin/python3 -c 'import pytz'", aptPackage: 'python3-tz', usedBy: 'Radicale time zones' },
  { probe: 'command -v docker-compose', aptPackage: 'docker-compose', usedBy: 'the docker-compose.yml check (parses it; needs no engine)' },
  { probe: 'test -x "$CHROMIUM_PATH" || test -x /usr/bin/chromium', aptPackage: 'chromium', usedBy: 'the browser tests (test/browser/)' },
];

function succeeds(probe: string): boolean {
  try {
    execFileSync('sh', ['-c', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function ensureInstalledTestTools(): Promise<void> {
  const missing = REQUIRED_TOOLS.filter((tool) => !succeeds(tool.probe));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.aptPackage))].join(' ');
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages}`;
  if (process.getuid?.() === 0 && succeeds('command -v apt-get')) {
    execSync(command, { stdio: 'inherit' });
    return;
  }
  throw new Error(`Tests need ${missing.map((tool) => `${tool.aptPackage} (for ${tool.usedBy})`).join(', ')}. Install them with:\n  sudo ${command}`);
}
