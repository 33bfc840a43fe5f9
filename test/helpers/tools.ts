import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/** True when a program is on PATH. */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

/**
 * Tests that need root or a real tool: outside CI a missing prerequisite skips with the reason;
 * in CI (CI=true) nothing may skip, so the same condition fails the test instead.
 */
export function requirePrereqs(t: TestContext, needs: { root?: boolean; tools?: string[] }): boolean {
  const missing: string[] = [];
  if (needs.root && process.getuid?.() !== 0) missing.push('root');
  for (const tool of needs.tools ?? []) if (!have(tool)) missing.push(tool);
  if (missing.length === 0) return true;
  const why = `needs ${missing.join(', ')} (run scripts/setup.sh as root)`;
  if (process.env.CI === 'true') throw new Error(why);
  t.skip(why);
  return false;
}
