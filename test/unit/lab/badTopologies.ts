// The table of topology mistakes: each case is a topology file with one mistake and where (line,
// column) and what the error must say. Used by the unit test (parsing) and by the integration test
// (labtel lab up on each file creates nothing).
export interface BadTopology {
  readonly mistake: string;
  readonly yaml: string;
  readonly line: number;
  readonly column: number;
  readonly message: RegExp;
}

const nodesAB = `    a:
      kind: linux
    b:
      kind: linux
`;

export const badTopologies: readonly BadTopology[] = [
  {
    mistake: 'YAML that does not parse',
    yaml: 'name: bad\ntopology:\n  nodes:\n    a: {kind: linux\n',
    line: 5, column: 1, message: /YAML: /,
  },
  {
    mistake: 'no lab name',
    yaml: `topology:\n  nodes:\n${nodesAB}`,
    line: 1, column: 1, message: /missing "name"/,
  },
  {
    mistake: 'a lab name that cannot be part of a namespace name',
    yaml: `name: my lab!\ntopology:\n  nodes:\n${nodesAB}`,
    line: 1, column: 7, message: /lab name "my lab!" is not valid/,
  },
  {
    mistake: 'no topology.nodes',
    yaml: 'name: bad\ntopology:\n  links: []\n',
    line: 3, column: 3, message: /missing "topology.nodes"/,
  },
  {
    mistake: 'a node name that is not valid for a namespace',
    yaml: `name: bad\ntopology:\n  nodes:\n    r/1:\n      kind: linux\n`,
    line: 4, column: 5, message: /node name "r\/1" is not valid/,
  },
  {
    mistake: 'a node without a kind',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      image: alpine\n`,
    line: 4, column: 5, message: /node "a" has no "kind"/,
  },
  {
    mistake: 'a misspelt node key',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kidn: linux\n`,
    line: 5, column: 7, message: /unknown key "kidn" in node "a"/,
  },
  {
    mistake: 'the same node defined twice',
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}    a:\n      kind: linux\n`,
    line: 8, column: 5, message: /a key appears twice/,
  },
  {
    mistake: 'a link endpoint without node:interface',
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}  links:\n    - endpoints: ["a-eth1", "b:eth1"]\n`,
    line: 9, column: 19, message: /link endpoint "a-eth1" must be "node:interface"/,
  },
  {
    mistake: 'a link to a node that does not exist',
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}  links:\n    - endpoints: ["a:eth1", "c:eth1"]\n`,
    line: 9, column: 29, message: /names node "c", which is not in topology.nodes/,
  },
  {
    mistake: 'a duplicate interface',
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["b:eth2", "a:eth1"]\n`,
    line: 10, column: 29, message: /duplicate interface "a:eth1": already used by the link at line 9/,
  },
  {
    mistake: 'an interface name longer than 15 characters',
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}  links:\n    - endpoints: ["a:ethernet-1-1-100", "b:eth1"]\n`,
    line: 9, column: 19, message: /interface name "ethernet-1-1-100" is not valid on Linux/,
  },
  {
    mistake: 'a link with three endpoints',
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}  links:\n    - endpoints: ["a:eth1", "b:eth1", "b:eth2"]\n`,
    line: 9, column: 18, message: /exactly two endpoints/,
  },
  {
    mistake: 'a link type labtel does not build',
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}  links:\n    - type: macvlan\n      endpoints: ["a:eth1", "b:eth1"]\n`,
    line: 9, column: 13, message: /link type "macvlan" is not supported/,
  },
  {
    mistake: "a link to containerlab's host pseudo-node",
    yaml: `name: bad\ntopology:\n  nodes:\n${nodesAB}  links:\n    - endpoints: ["a:eth1", "host:veth-a"]\n`,
    line: 9, column: 29, message: /"host" pseudo-node/,
  },
  {
    mistake: 'a bad address in exec',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n      exec:\n        - ip addr add 203.0.113.300/31 dev eth1\n    b:\n      kind: linux\n  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n`,
    line: 7, column: 11, message: /bad address in ip addr add: "203.0.113.300" is not an IP address/,
  },
  {
    mistake: 'a prefix length out of range in exec',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n      exec:\n        - ip addr add 203.0.113.0/33 dev eth1\n    b:\n      kind: linux\n  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n`,
    line: 7, column: 11, message: /"\/33" is not a prefix length for IPv4/,
  },
  {
    mistake: 'an exec entry on an interface the node does not have',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n      exec:\n        - ip addr add 203.0.113.0/31 dev eth9\n    b:\n      kind: linux\n  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n`,
    line: 7, column: 11, message: /dev "eth9" is not an interface of this node \(its links give it: eth1\)/,
  },
  {
    mistake: 'shell syntax in exec',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n      exec:\n        - ip link set eth1 up && reboot\n`,
    line: 7, column: 11, message: /"&" is shell syntax/,
  },
  {
    mistake: 'a bad gateway in exec',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n      exec:\n        - ip route add 203.0.113.0/24 via 203.0.113.x\n`,
    line: 7, column: 11, message: /bad gateway in ip route add/,
  },
  {
    mistake: 'a bind whose source file does not exist',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n      binds:\n        - missing/frr.conf:/etc/frr/frr.conf\n`,
    line: 7, column: 11, message: /bind source "missing\/frr.conf" of node "a" does not exist/,
  },
  {
    mistake: 'a sysctl that is not a kernel setting name',
    yaml: `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n      sysctls:\n        ip forwarding: 1\n`,
    line: 7, column: 9, message: /sysctl "ip forwarding" of node "a" is not a kernel setting name/,
  },
];
