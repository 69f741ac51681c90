/**
 * Debian packages that integration tests need (real CalDAV and WebDAV
 * servers). Installed when we can (root with apt), otherwise the run stops
 * with the exact command to run: no test silently skips.
 */
import { execFileSync, execSync } from 'node:child_process';

export const REQUIRED_TOOLS: { command: string; aptPackage: string; usedBy: string }[] = [
  { command: 'rclone', aptPackage: 'rclone', usedBy: 'documents WebDAV tests' },
  { command: 'radicale', aptPackage: 'radicale', usedBy: 'calendar CalDAV tests' },
];

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function ensureInstalledTestTools(): Promise<void> {
  const missing = REQUIRED_TOOLS.filter((tool) => !has(tool.command));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.aptPackage))].join(' ');
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages}`;
  if (process.getuid?.() === 0 && has('apt-get')) {
    execSync(command, { stdio: 'inherit' });
    return;
  }
  throw new Error(`Tests need ${missing.map((tool) => `${tool.command} (for ${tool.usedBy})`).join(', ')}. Install them with:\n  sudo ${command}`);
}
