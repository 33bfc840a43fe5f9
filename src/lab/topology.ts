import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq, yaml } from './yaml';
import { checkIpCommand, ExecLineError, splitExecLine } from './execLine';
import { isValidInterfaceName, isValidLabName, isValidNodeName } from './names';
import { TopologyError, type SourcePosition } from './topologyError';

/**
 * The topology model: a containerlab topology file (https://containerlab.dev/manual/topo-def-file/)
 * read into plain data, with every node, link, bind and exec entry carrying the place in the file it
 * came from. Both backends deploy from this model; a file with a mistake never becomes a model.
 */
export interface Topology {
  /** Absolute path of the topology file; binds are relative to its folder. */
  readonly file: string;
  readonly name: string;
  readonly mgmt: Readonly<Record<string, unknown>>;
  readonly nodes: readonly TopologyNode[];
  readonly links: readonly TopologyLink[];
}

export interface TopologyNode {
  readonly name: string;
  readonly kind: string;
  readonly image: string | undefined;
  readonly binds: readonly Bind[];
  readonly exec: readonly ExecEntry[];
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly string[];
  /** Kernel settings for the node's namespace (containerlab's `sysctls`), e.g. net.ipv4.ip_forward: "1". */
  readonly sysctls: Readonly<Record<string, string>>;
  /** Absolute path of the node's startup-config, when it has one. */
  readonly startupConfig: string | undefined;
  /** The node's interfaces, from the links that end on it, in file order. */
  readonly interfaces: readonly string[];
  readonly position: SourcePosition;
}

/** A containerlab bind, "host-path:container-path[:ro|rw]"; `source` is absolute. */
export interface Bind {
  readonly source: string;
  readonly target: string;
  readonly mode: string | undefined;
  readonly position: SourcePosition;
}

export interface ExecEntry {
  readonly text: string;
  /** The entry split into words: run as argv, never through a shell. */
  readonly argv: readonly string[];
  readonly position: SourcePosition;
}

export interface Endpoint {
  readonly node: string;
  readonly interface: string;
  readonly mac: string | undefined;
  readonly position: SourcePosition;
}

export interface TopologyLink {
  readonly endpoints: readonly [Endpoint, Endpoint];
  readonly mtu: number | undefined;
  readonly position: SourcePosition;
}

const topLevelKeys = new Set(['name', 'prefix', 'mgmt', 'topology', 'settings']);
const topologyKeys = new Set(['defaults', 'kinds', 'nodes', 'links', 'groups']);
const nodeKeys = new Set([
  'kind', 'image', 'binds', 'exec', 'env', 'labels', 'ports', 'startup-config', 'group', 'type', 'mgmt-ipv4',
  'mgmt-ipv6', 'cmd', 'entrypoint', 'user', 'network-mode', 'cpu', 'cpu-set', 'memory', 'sysctls', 'license',
  'env-files', 'publish', 'startup-delay', 'enforce-startup-config', 'suppress-startup-config', 'stages',
  'wait-for', 'healthcheck', 'dns', 'extras', 'aliases', 'certificate', 'runtime', 'restart-policy',
  'auto-remove', 'cap-add', 'devices', 'shm-size', 'components', 'image-pull-policy', 'mac-address',
  'extra-hosts', 'config', 'exec-on', 'volumes', 'tls',
]);
const linkKeys = new Set(['endpoints', 'type', 'mtu', 'vars', 'labels']);
const endpointKeys = new Set(['node', 'interface', 'mac', 'vars']);
/** containerlab's pseudo-nodes in brief links; they are not namespaces and no backend here builds them. */
const specialNodes = new Set(['host', 'mgmt-net', 'macvlan', 'ovs-bridge', 'bridge']);

/** Reads and checks a topology file. Throws TopologyError (file:line:column) on the first mistake. */
export function loadTopology(file: string): Topology {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new TopologyError({ file, line: 1, column: 1 }, `cannot read the topology file: ${(err as Error).message}`);
  }
  return parseTopology(text, file, path.dirname(abs));
}

/**
 * Parses topology text. `file` is how errors name the file; `baseDir` is where relative bind paths
 * start (the topology file's folder, as containerlab resolves them).
 */
export function parseTopology(text: string, file: string, baseDir: string): Topology {
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (node: YamlNode | null | undefined, fallback?: YamlNode | null): SourcePosition => {
    const range = node?.range ?? fallback?.range;
    const p = lines.linePos(range ? range[0] : 0);
    return { file, line: p.line, column: p.col };
  };
  const fail = (node: YamlNode | null | undefined, problem: string): never => { throw new TopologyError(at(node), problem); };

  const firstError = doc.errors[0];
  if (firstError) {
    const p = firstError.linePos?.[0] ?? lines.linePos(firstError.pos[0]);
    const what = firstError.code === 'DUPLICATE_KEY' ? 'a key appears twice in the same mapping (each node and key may be given once)' : firstError.message.split('\n')[0]!;
    throw new TopologyError({ file, line: p.line, column: p.col }, `YAML: ${what}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, 'the file must be a mapping with "name" and "topology"');
  checkKeys(root, topLevelKeys, 'at the top level', fail);

  const nameNode = root.get('name', true) as YamlNode | undefined;
  if (nameNode === undefined) return fail(root, 'missing "name": the lab needs a name (namespaces are called clab-<name>-<node>)');
  const name = scalarString(nameNode, '"name"', fail);
  if (!isValidLabName(name)) fail(nameNode, `lab name "${name}" is not valid: use letters, digits, "-", "_" and "." and start with a letter or digit`);

  const mgmtNode = root.get('mgmt', true) as YamlNode | undefined;
  const mgmt = mgmtNode === undefined ? {} : isMap(mgmtNode) ? (mgmtNode.toJSON() as Record<string, unknown>) : fail(mgmtNode, '"mgmt" must be a mapping');

  const topo = root.get('topology', true) as YamlNode | undefined;
  if (topo === undefined) return fail(root, 'missing "topology"');
  if (!isMap(topo)) return fail(topo, '"topology" must be a mapping with "nodes" and "links"');
  checkKeys(topo, topologyKeys, 'in "topology"', fail);

  const defaults = optionalMap(topo.get('defaults', true) as YamlNode | undefined, '"topology.defaults"', fail);
  const kindsNode = optionalMap(topo.get('kinds', true) as YamlNode | undefined, '"topology.kinds"', fail);
  const nodesNode = topo.get('nodes', true) as YamlNode | undefined;
  if (nodesNode === undefined) return fail(topo, 'missing "topology.nodes"');
  if (!isMap(nodesNode) || nodesNode.items.length === 0) return fail(nodesNode, '"topology.nodes" must be a mapping of node names to node definitions');

  // Links first: they give each node its interfaces, which its exec entries are checked against.
  const links: TopologyLink[] = [];
  const interfacesOf = new Map<string, string[]>();
  const seenEndpoint = new Map<string, SourcePosition>();
  const nodeNames = new Set(nodesNode.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)));
  const linksNode = topo.get('links', true) as YamlNode | undefined;
  if (linksNode !== undefined && !isSeq(linksNode)) fail(linksNode, '"topology.links" must be a list');
  for (const item of isSeq(linksNode) ? linksNode.items as YamlNode[] : []) {
    if (!isMap(item)) fail(item, 'a link must be a mapping with "endpoints"');
    const link = item as YAMLMap;
    checkKeys(link, linkKeys, 'in a link', fail);
    const typeNode = link.get('type', true) as YamlNode | undefined;
    const type = typeNode === undefined ? 'veth' : scalarString(typeNode, 'link "type"', fail);
    if (type !== 'veth') fail(typeNode, `link type "${type}" is not supported: labtel builds veth links between lab nodes`);
    const eps = link.get('endpoints', true) as YamlNode | undefined;
    if (eps === undefined) fail(item, 'a link needs "endpoints"');
    if (!isSeq(eps) || eps.items.length !== 2) fail(eps, 'a link must have exactly two endpoints');
    const pair = (eps as unknown as { items: YamlNode[] }).items.map((e) => parseEndpoint(e, fail, at));
    for (const ep of pair) {
      if (specialNodes.has(ep.node) && !nodeNames.has(ep.node)) throw new TopologyError(ep.position, `endpoint "${ep.node}:${ep.interface}" uses containerlab's "${ep.node}" pseudo-node, which labtel does not build; link lab nodes to each other`);
      if (!nodeNames.has(ep.node)) throw new TopologyError(ep.position, `link endpoint "${ep.node}:${ep.interface}" names node "${ep.node}", which is not in topology.nodes`);
      if (!isValidInterfaceName(ep.interface)) throw new TopologyError(ep.position, `interface name "${ep.interface}" is not valid on Linux: at most 15 characters, letters, digits, "_", "-", "." and "@"`);
      const key = `${ep.node}:${ep.interface}`;
      const first = seenEndpoint.get(key);
      if (first) throw new TopologyError(ep.position, `duplicate interface "${key}": already used by the link at line ${first.line}`);
      seenEndpoint.set(key, ep.position);
      const list = interfacesOf.get(ep.node) ?? [];
      list.push(ep.interface);
      interfacesOf.set(ep.node, list);
    }
    const mtuNode = link.get('mtu', true) as YamlNode | undefined;
    let mtu: number | undefined;
    if (mtuNode !== undefined) {
      mtu = isScalar(mtuNode) && typeof mtuNode.value === 'number' ? mtuNode.value : NaN;
      if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) fail(mtuNode, 'link "mtu" must be an integer from 68 to 65535');
    }
    links.push({ endpoints: [pair[0]!, pair[1]!], mtu, position: at(item) });
  }

  const nodes: TopologyNode[] = [];
  for (const pair of nodesNode.items) {
    const keyNode = pair.key as YamlNode;
    const nodeName = String(isScalar(keyNode) ? keyNode.value : keyNode);
    if (!isValidNodeName(nodeName)) fail(keyNode, `node name "${nodeName}" is not valid: it becomes the namespace name clab-${name}-${nodeName}; use letters, digits, "-", "_" and "."`);
    const def = pair.value as YamlNode | null;
    if (def !== null && !isMap(def)) fail(def ?? keyNode, `node "${nodeName}" must be a mapping (kind, image, binds, exec, …)`);
    const nodeMap = def as YAMLMap | null;
    if (nodeMap) checkKeys(nodeMap, nodeKeys, `in node "${nodeName}"`, fail);
    const kindNode = (nodeMap?.get('kind', true) ?? defaults?.get('kind', true)) as YamlNode | undefined;
    if (kindNode === undefined) fail(keyNode, `node "${nodeName}" has no "kind" (and topology.defaults gives none)`);
    const kind = scalarString(kindNode!, `"kind" of node "${nodeName}"`, fail);
    const kindDef = optionalMap(kindsNode?.get(kind, true) as YamlNode | undefined, `"topology.kinds.${kind}"`, fail);
    // containerlab's inheritance: node over kind over defaults.
    const layers = [nodeMap, kindDef, defaults].filter((m): m is YAMLMap => m !== null && m !== undefined);
    const pick = (key: string): YamlNode | undefined => {
      for (const m of layers) { const v = m.get(key, true) as YamlNode | undefined; if (v !== undefined) return v; }
      return undefined;
    };
    const imageNode = pick('image');
    const image = imageNode === undefined ? undefined : scalarString(imageNode, `"image" of node "${nodeName}"`, fail);

    const binds: Bind[] = [];
    for (const m of [...layers].reverse()) {
      const list = m.get('binds', true) as YamlNode | undefined;
      if (list === undefined) continue;
      if (!isSeq(list)) fail(list, `"binds" of node "${nodeName}" must be a list of "host-path:container-path"`);
      for (const b of (list as unknown as { items: YamlNode[] }).items) {
        const bind = parseBind(b, nodeName, baseDir, fail, at);
        const same = binds.findIndex((x) => x.target === bind.target);
        if (same >= 0) binds.splice(same, 1);
        binds.push(bind);
      }
    }

    const interfaces = interfacesOf.get(nodeName) ?? [];
    const execNode = pick('exec');
    const exec: ExecEntry[] = [];
    if (execNode !== undefined) {
      if (!isSeq(execNode)) fail(execNode, `"exec" of node "${nodeName}" must be a list of commands`);
      for (const e of (execNode as unknown as { items: YamlNode[] }).items) {
        const textValue = scalarString(e, `an exec entry of node "${nodeName}"`, fail);
        try {
          const argv = splitExecLine(textValue);
          checkIpCommand(argv, new Set(interfaces));
          exec.push({ text: textValue, argv, position: at(e) });
        } catch (err) {
          if (err instanceof ExecLineError) fail(e, `exec entry "${textValue}" of node "${nodeName}": ${err.message}`);
          throw err;
        }
      }
    }

    const env = mergeStringMaps(layers, 'env', nodeName, fail);
    const labels = mergeStringMaps(layers, 'labels', nodeName, fail);
    const sysctls = mergeStringMaps(layers, 'sysctls', nodeName, fail);
    for (const pair of layers.flatMap((m) => { const v = m.get('sysctls', true); return isMap(v) ? v.items : []; })) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (!/^(net|kernel|vm)\.[A-Za-z0-9_./-]+$/.test(key)) fail(pair.key as YamlNode, `sysctl "${key}" of node "${nodeName}" is not a kernel setting name (net.…)`);
      if (/\s/.test(String(sysctls[key]))) fail(pair.value as YamlNode, `sysctl "${key}" of node "${nodeName}" must be a single value`);
    }
    const portsNode = pick('ports');
    const ports: string[] = [];
    if (portsNode !== undefined) {
      if (!isSeq(portsNode)) fail(portsNode, `"ports" of node "${nodeName}" must be a list`);
      for (const p of (portsNode as unknown as { items: YamlNode[] }).items) ports.push(scalarString(p, 'a port mapping', fail));
    }
    const startupNode = pick('startup-config');
    let startupConfig: string | undefined;
    if (startupNode !== undefined) {
      const s = scalarString(startupNode, `"startup-config" of node "${nodeName}"`, fail);
      startupConfig = path.resolve(baseDir, s);
      if (!existsSync(startupConfig)) fail(startupNode, `startup-config "${s}" of node "${nodeName}" does not exist (looked for ${startupConfig})`);
    }
    nodes.push({ name: nodeName, kind, image, binds, exec, env, labels, ports, sysctls, startupConfig, interfaces, position: at(keyNode) });
  }
  return { file: path.resolve(baseDir, path.basename(file)), name, mgmt, nodes, links };
}

type Fail = (node: YamlNode | null | undefined, problem: string) => never;

function checkKeys(map: YAMLMap, allowed: ReadonlySet<string>, where: string, fail: Fail): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!allowed.has(key)) fail(pair.key as YamlNode, `unknown key "${key}" ${where} (known: ${[...allowed].sort().join(', ')})`);
  }
}

function scalarString(node: YamlNode, what: string, fail: Fail): string {
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number') || String(node.value) === '') {
    return fail(node, `${what} must be a non-empty string`);
  }
  return String(node.value);
}

function optionalMap(node: YamlNode | undefined, what: string, fail: Fail): YAMLMap | undefined {
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  if (!isMap(node)) return fail(node, `${what} must be a mapping`);
  return node;
}

function mergeStringMaps(layers: YAMLMap[], key: string, nodeName: string, fail: Fail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of [...layers].reverse()) {
    const v = m.get(key, true) as YamlNode | undefined;
    if (v === undefined) continue;
    if (!isMap(v)) fail(v, `"${key}" of node "${nodeName}" must be a mapping of names to values`);
    for (const pair of (v as YAMLMap).items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const val = pair.value as YamlNode | null;
      if (!isScalar(val) || typeof val.value === 'object') fail(val ?? (pair.key as YamlNode), `"${key}.${k}" of node "${nodeName}" must be a string`);
      out[k] = String((val as { value: unknown }).value);
    }
  }
  return out;
}

function parseEndpoint(node: YamlNode, fail: Fail, at: (n: YamlNode) => SourcePosition): Endpoint {
  if (isScalar(node) && typeof node.value === 'string') {
    const text = node.value;
    const colon = text.indexOf(':');
    if (colon <= 0 || colon === text.length - 1 || text.indexOf(':', colon + 1) >= 0) {
      return fail(node, `link endpoint "${text}" must be "node:interface"`);
    }
    return { node: text.slice(0, colon), interface: text.slice(colon + 1), mac: undefined, position: at(node) };
  }
  if (isMap(node)) {
    checkKeys(node, endpointKeys, 'in a link endpoint', fail);
    const n = node.get('node', true) as YamlNode | undefined;
    const i = node.get('interface', true) as YamlNode | undefined;
    if (n === undefined || i === undefined) return fail(node, 'an extended link endpoint needs "node" and "interface"');
    const m = node.get('mac', true) as YamlNode | undefined;
    const mac = m === undefined ? undefined : scalarString(m, 'endpoint "mac"', fail);
    if (mac !== undefined && !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) fail(m, `endpoint mac "${mac}" is not a MAC address (aa:bb:cc:dd:ee:ff)`);
    return { node: scalarString(n, 'endpoint "node"', fail), interface: scalarString(i, 'endpoint "interface"', fail), mac, position: at(node) };
  }
  return fail(node, 'a link endpoint must be "node:interface" or a mapping with node and interface');
}

function parseBind(node: YamlNode, nodeName: string, baseDir: string, fail: Fail, at: (n: YamlNode) => SourcePosition): Bind {
  const text = scalarString(node, `a bind of node "${nodeName}"`, fail);
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1] || !parts[1].startsWith('/')) {
    return fail(node, `bind "${text}" of node "${nodeName}" must be "host-path:/container-path[:ro|rw]"`);
  }
  const source = path.resolve(baseDir, parts[0]);
  if (!existsSync(source)) fail(node, `bind source "${parts[0]}" of node "${nodeName}" does not exist (looked for ${source})`);
  return { source, target: parts[1], mode: parts[2], position: at(node) };
}
