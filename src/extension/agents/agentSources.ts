import path from 'node:path';

/**
 * The book's Tilt loop: a saved TypeScript source the agents are built from — under the extension's own
 * src/, not its editor-side src/extension/ — rebuilds their bundles and restarts what runs. It applies
 * when labtel itself is the workspace (F5 "Run Extension" on this repository).
 */
export function isAgentSource(extensionPath: string, savedPath: string): boolean {
  const rel = path.relative(path.join(extensionPath, 'src'), savedPath);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || !rel.endsWith('.ts')) return false;
  return rel.split(path.sep)[0] !== 'extension';
}
