import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AGENT_NAMES } from '../../shared/agents';
import { trafficProfilePath } from '../traffic';
import type { Topology } from '../topology';
import type { Transport } from './transport';

/**
 * What labtel copies to a lab host, and how: a set of local files, each under a folder on this machine
 * and a relative path on the host, named by the sha256 of every path and content. A set goes to
 * <workDir>/<kind>/<name>-<hash> once: a second deploy of an unchanged lab, or agents of an unchanged
 * build, copy nothing. Copies are one tar stream into a temporary folder renamed into place, so a
 * dropped connection never leaves a half-copied set that looks complete.
 */
export interface FileEntry {
  /** The folder the relative path starts from on this machine. */
  readonly dir: string;
  /** The path under `dir` here and under the set's folder on the host. */
  readonly rel: string;
}

export interface FileSet {
  readonly files: readonly FileEntry[];
  readonly hash: string;
}

export function fileSet(files: readonly FileEntry[]): FileSet {
  const sorted = [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const h = createHash('sha256');
  for (const f of sorted) {
    const content = readFileSync(path.join(f.dir, f.rel));
    h.update(`${f.rel}\0${content.length}\0`).update(content);
  }
  return { files: sorted, hash: h.digest('hex') };
}

function walk(dir: string, rel: string): string[] {
  const full = path.join(dir, rel);
  if (!statSync(full).isDirectory()) return [rel];
  return readdirSync(full).flatMap((e) => walk(dir, path.join(rel, e)));
}

/**
 * The topology file, every file its nodes bind and the lab's traffic profiles, relative to the
 * topology's folder (binds are relative to it in containerlab's format, so the same file works there).
 */
export function topologyFiles(topology: Topology): FileSet {
  const base = path.dirname(topology.file);
  const rels = new Set<string>([path.basename(topology.file)]);
  const inside = (p: string, what: string): string => {
    const rel = path.relative(base, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new Error(`${topology.file}: ${what} ${p} is outside the topology's folder ${base}; labtel copies that folder to the lab host, so keep the lab's files in it`);
    }
    return rel;
  };
  for (const node of topology.nodes) {
    for (const bind of node.binds) {
      if (!existsSync(bind.source)) continue; // a bind the backend creates or ignores
      for (const f of walk(base, inside(bind.source, `node ${node.name} binds`))) rels.add(f);
    }
  }
  const traffic = path.dirname(trafficProfilePath(topology.file, topology.name, 'x'));
  if (existsSync(traffic)) for (const f of walk(base, inside(traffic, 'the traffic profiles'))) rels.add(f);
  return fileSet([...rels].map((rel) => ({ dir: base, rel })));
}

/** The node.js ABI a native addon is built for: process.versions.modules, arch and platform. */
export interface NodeAbi {
  readonly modules: string;
  readonly arch: string;
  readonly platform: string;
}

/**
 * labtel's own bundles for the host: dist/cli.js (the core that deploys and inspects labs there) and
 * dist/agents/*.js with their source maps (for the debugger), plus the `cap` addon built here when the
 * host's node has the same ABI (modules version, arch, platform). Otherwise the agents that capture
 * (capture, top-talkers --tap) need `cap` installed for the host's node where require finds it
 * (e.g. npm install -g cap and NODE_PATH); the others run without it.
 */
export function bundleFiles(distDir: string, hostAbi: NodeAbi | undefined): FileSet {
  const root = path.dirname(distDir);
  const dist = path.basename(distDir);
  const rels = ['cli.js', 'cli.js.map', ...AGENT_NAMES.flatMap((a) => [`agents/${a}.js`, `agents/${a}.js.map`])]
    .filter((f) => existsSync(path.join(distDir, f))).map((f) => ({ dir: root, rel: path.join(dist, f) }));
  if (!rels.some((f) => f.rel.endsWith('cli.js'))) throw new Error(`labtel is not built (no ${path.join(distDir, 'cli.js')}): run "npm run build"`);
  const cap = capAddon();
  if (cap && hostAbi && hostAbi.modules === process.versions.modules && hostAbi.arch === process.arch && hostAbi.platform === process.platform) {
    rels.push(...cap.files.map((rel) => ({ dir: cap.root, rel })));
  }
  return fileSet(rels);
}

function capAddon(): { root: string; files: string[] } | undefined {
  try {
    const pkg = createRequire(__filename).resolve('cap/package.json');
    const capDir = path.dirname(pkg);
    const root = path.dirname(path.dirname(capDir)); // the folder holding node_modules
    const rel = (p: string) => path.relative(root, path.join(capDir, p));
    const files = ['package.json', 'lib/Cap.js', 'lib/Decoders.js', 'build/Release/cap.node'].filter((f) => existsSync(path.join(capDir, f))).map(rel);
    return files.length === 4 ? { root, files } : undefined;
  } catch {
    return undefined;
  }
}

/** The dist folder of this labtel: beside the running bundle, or the repository's when run from source. */
export function labtelDistDir(): string {
  const candidates = [__dirname, path.resolve(__dirname, '..', '..', '..', 'dist')];
  const found = candidates.find((d) => existsSync(path.join(d, 'cli.js')) && existsSync(path.join(d, 'agents')));
  if (!found) throw new Error(`labtel is not built (no cli.js and agents/ in ${candidates.join(' or ')}): run "npm run build"`);
  return found;
}

/** Extracts stdin (a tar stream) into the new folder $1. */
const receiveScript = 'rm -rf -- "$1" && mkdir -p -- "$1" && tar -x -f - -C "$1" --no-same-owner';
/** Moves the complete copy $1 into place as $2; a copy already there (a parallel upload) is kept. */
const commitScript = 'mv -T -- "$1" "$2" 2>/dev/null || { rm -rf -- "$1"; test -d "$2"; }';

/**
 * Makes `remoteDir` on the host hold the set, copying it only when it is not there yet: one tar stream
 * into <remoteDir>.part.<random>, then, once both tar ends succeeded, a rename into place. Returns
 * whether it copied.
 */
export async function ensureOnHost(transport: Transport, set: FileSet, remoteDir: string): Promise<boolean> {
  const there = await transport.run(['test', '-d', remoteDir], { allowFailure: true });
  if (there.code === 0) return false;
  const part = `${remoteDir}.part.${randomBytes(6).toString('hex')}`;
  try {
    await new Promise<void>((resolve, reject) => {
      // "./" keeps a file name starting with "-" from reading as an option (tar takes no "--" before -C).
      const args = ['-c', '-f', '-', '--owner=0', '--group=0', '--numeric-owner', ...set.files.flatMap((f) => ['-C', f.dir, `./${f.rel}`])];
      const tar = spawn('tar', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const receive = transport.spawn(['sh', '-c', receiveScript, 'labtel', part], { stdio: ['pipe', 'ignore', 'pipe'] });
      let tarErr = '';
      let recvErr = '';
      tar.stderr.on('data', (b: Buffer) => { tarErr += String(b); });
      receive.stderr?.on('data', (b: Buffer) => { recvErr += String(b); });
      tar.stdout.pipe(receive.stdin!);
      receive.stdin!.on('error', () => { /* reported by the exit code */ });
      const tarDone = new Promise<number | null>((r) => tar.on('close', r));
      tar.on('error', reject);
      receive.on('error', reject);
      receive.on('close', (code) => {
        void tarDone.then((tarCode) => {
          if (tarCode !== 0) reject(new Error(`tar of ${set.files.length} files failed: ${tarErr.trim()}`));
          else if (code !== 0) reject(new Error(`copying to ${transport.label}:${remoteDir} failed (exit ${code}): ${recvErr.trim() || 'no message'}`));
          else resolve();
        });
      });
    });
    await transport.run(['sh', '-c', commitScript, 'labtel', part, remoteDir]);
  } catch (err) {
    await transport.run(['rm', '-rf', '--', part], { allowFailure: true }).catch(() => undefined);
    throw err;
  }
  return true;
}
