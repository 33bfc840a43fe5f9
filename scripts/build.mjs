// One esbuild bundle per target (DESIGN.md, Conventions). An entry whose source does not
// exist yet is skipped with a note, so the table can name every target the product has.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

// esbuild from node_modules; the demo's setup (scripts/setup.sh demo) installs only the runtime packages and
// puts esbuild alone in .cache/build-tools, which saves a minute of npm on a fresh machine.
const buildTools = path.join(root, '.cache', 'build-tools');
const fromBuildTools = !existsSync(path.join(root, 'node_modules', 'esbuild')) && existsSync(path.join(buildTools, 'node_modules', 'esbuild'));
const esbuild = createRequire(fromBuildTools ? path.join(buildTools, 'index.js') : import.meta.url)('esbuild');

// The agents are listed once, in src/shared/agents.ts: bundled in memory by esbuild and evaluated.
const shared = await esbuild.build({ entryPoints: [path.join(root, 'src', 'shared', 'agents.ts')], bundle: true, write: false, format: 'cjs', platform: 'neutral', logLevel: 'silent' });
const sharedModule = { exports: {} };
new Function('module', 'exports', shared.outputFiles[0].text)(sharedModule, sharedModule.exports);
const { AGENT_NAMES } = sharedModule.exports;

const node = { platform: 'node', format: 'cjs', target: 'node20', bundle: true, external: ['cap', 'vscode'] };

// Packages the extension needs only for some features (a lab file parsed, a .pcapfilter file open), built as
// bundles of their own under dist/chunks/ and required where the feature first uses them: the extension
// host does not parse them at activation (bench/ui-activation.ts: VS Code's "Activation" time is mostly the
// parse of dist/extension.js). The source must require them at the point of use, not import them at the top.
// A chunk is a package or one of our modules (then named by its path from the repository, without .ts).
const LAZY_CHUNKS = { yaml: 'yaml', 'vscode-languageclient/node': 'languageclient', 'src/debug/labDebugSession': 'debugSession', 'src/bpf': 'bpf' };
const lazyChunks = {
  name: 'lazy-chunks',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (a) => {
      const key = a.path.startsWith('.') ? path.relative(root, path.resolve(a.resolveDir, a.path)) : a.path;
      return LAZY_CHUNKS[key] ? { path: `./chunks/${LAZY_CHUNKS[key]}.js`, external: true } : undefined;
    });
  },
};
const browser = { platform: 'browser', format: 'iife', target: 'es2022', bundle: true };

const targets = [
  { name: 'extension', entry: 'src/extension/extension.ts', out: 'dist/extension.js', ...node, plugins: [lazyChunks] },
  ...Object.entries(LAZY_CHUNKS).map(([pkg, chunk]) => ({
    name: `chunk ${chunk}`, entry: 'package.json', contents: `module.exports = require(${JSON.stringify(pkg.startsWith('src/') ? `./${pkg}` : pkg)});`, out: `dist/chunks/${chunk}.js`, ...node,
  })),
  { name: 'cli', entry: 'src/cli/main.ts', out: 'dist/cli.js', ...node },
  // The standalone debug adapter (DAP on stdio), for tests and other editors; the extension runs it inline.
  { name: 'adapter', entry: 'src/debug/debugAdapter.ts', out: 'dist/debugAdapter.js', ...node },
  { name: 'server', entry: 'src/server/server.ts', out: 'dist/server.js', ...node },
  // The capture viewer's indexer runs in a worker thread of the extension host.
  { name: 'capture indexer', entry: 'src/extension/viewer/indexerWorker.ts', out: 'dist/captureIndexer.js', ...node },
  ...AGENT_NAMES.map((a) => ({
    name: `agent ${a}`, entry: `src/agents/${a}.ts`, out: `dist/agents/${a}.js`, ...node,
  })),
  // Each webview is a folder under media/ with a main.ts.
  ...readdirSync(path.join(root, 'media'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, 'media', d.name, 'main.ts')))
    .map((d) => ({ name: `webview ${d.name}`, entry: `media/${d.name}/main.ts`, out: `dist/media/${d.name}.js`, ...browser })),
  // The extension-host test suite: mocha stays external, loaded from node_modules inside the host.
  { name: 'vscode tests', entry: 'test/vscode/index.ts', out: 'out/test/vscode/index.js', ...node, external: ['vscode', 'mocha', 'cap'], test: true },
];

const selected = targets.filter((t) => existsSync(path.join(root, t.entry)) && !(production && t.test));
const skipped = targets.filter((t) => !existsSync(path.join(root, t.entry)));

const contexts = await Promise.all(selected.map((t) => esbuild.context({
  ...(t.contents === undefined ? { entryPoints: [path.join(root, t.entry)] } : { stdin: { contents: t.contents, resolveDir: root, sourcefile: `${t.name}.js`, loader: 'js' } }),
  plugins: t.plugins ?? [],
  outfile: path.join(root, t.out),
  bundle: t.bundle,
  platform: t.platform,
  format: t.format,
  target: t.target,
  external: t.external ?? [],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Outside watch mode the files are written here, each replaced whole (see writeOutputs).
  write: watch,
  // Agents run as `node dist/agents/x.js` and must not need anything but `cap` next to them.
  banner: t.platform === 'node' && t.name.startsWith('agent') ? { js: '#!/usr/bin/env node' } : undefined,
})));

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${selected.length} targets`);
} else {
  const started = Date.now();
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const r of results) writeOutputs(r.outputFiles ?? []);
  console.log(`built ${selected.length} targets in ${Date.now() - started} ms: ${selected.map((t) => t.name).join(', ')}`);
  if (skipped.length) console.log(`not yet present: ${skipped.map((t) => t.name).join(', ')}`);
}

/**
 * Writes a build's files so that a reader never sees one half written: tests build before they run (so a
 * single test file run after an edit sees the edit) and run two at a time, and a worker or agent started
 * by one test read a bundle while another test's build was rewriting it. Each file goes to a temporary
 * name and is renamed over the old one (atomic on one file system); a file whose bytes did not change is
 * left as it is.
 */
function writeOutputs(files) {
  for (const f of files) {
    if (existsSync(f.path) && Buffer.compare(readFileSync(f.path), f.contents) === 0) continue;
    mkdirSync(path.dirname(f.path), { recursive: true });
    const temporary = `${f.path}.${process.pid}.tmp`;
    writeFileSync(temporary, f.contents);
    renameSync(temporary, f.path);
  }
}
