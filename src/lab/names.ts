/**
 * Names of things a lab creates on the host. Both backends name a node's network namespace as
 * containerlab names the node's container, `clab-<lab>-<node>`, so `ip netns exec clab-netgo-host-2 …`
 * works the same whichever backend deployed the lab.
 */

/** Lab and node names: what containerlab accepts and what is safe as a file name under /run/netns. */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Linux interface names: at most 15 bytes (IFNAMSIZ - 1), no slash, colon or whitespace, not "." or "..". */
const interfacePattern = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/;

export function isValidLabName(name: string): boolean {
  return namePattern.test(name) && name.length <= 64;
}

export function isValidNodeName(name: string): boolean {
  return namePattern.test(name) && name.length <= 64;
}

export function isValidInterfaceName(name: string): boolean {
  return interfacePattern.test(name) && name !== '.' && name !== '..';
}

/** The network namespace (and containerlab container) name of a node. */
export function namespaceName(lab: string, node: string): string {
  return `clab-${lab}-${node}`;
}

/** Where `ip netns` keeps the namespace's bind mount. */
export function namespacePath(lab: string, node: string): string {
  return `/run/netns/${namespaceName(lab, node)}`;
}
