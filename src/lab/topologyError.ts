/** Where in a topology file something is: 1-based line and column, as editors count them. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * One mistake in a topology file, located so that a person can jump to it: the message reads
 * `lab/netgo.clab.yml:12:7: link endpoint "r9:eth1" names node "r9", which is not in topology.nodes`.
 * Parsing stops at the first mistake, so nothing is ever created from a file that has one.
 */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  constructor(readonly position: SourcePosition, readonly problem: string) {
    super(`${position.file}:${position.line}:${position.column}: ${problem}`);
  }
}
