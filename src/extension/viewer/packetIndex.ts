/**
 * Where each packet of a capture file is, in typed arrays that grow by doubling: the file offset of its
 * bytes, captured and original length, link type and time. About 30 bytes a packet, whatever the packets
 * hold: a viewer's memory is bounded by this index, not by the file (rows are summarised from the file on
 * demand). No vscode here: the index lives in the indexer's worker thread and is tested under node.
 */
const INITIAL_CAPACITY = 1 << 12;

export class PacketIndex {
  count = 0;
  /** Time of the first packet, ns since the epoch; the others are kept relative to it. */
  firstNs: bigint | undefined = undefined;
  offset = new Float64Array(INITIAL_CAPACITY);
  /** ns after the first packet: a double is exact to the ns for 104 days of capture. */
  relativeNs = new Float64Array(INITIAL_CAPACITY);
  capturedLength = new Uint32Array(INITIAL_CAPACITY);
  originalLength = new Uint32Array(INITIAL_CAPACITY);
  linkType = new Uint16Array(INITIAL_CAPACITY);

  add(fileOffset: number, timestampNs: bigint, capturedLength: number, originalLength: number, linkType: number): void {
    if (this.count === this.offset.length) this.grow();
    const i = this.count++;
    this.firstNs ??= timestampNs;
    this.offset[i] = fileOffset;
    this.relativeNs[i] = Number(timestampNs - this.firstNs);
    this.capturedLength[i] = capturedLength;
    this.originalLength[i] = originalLength;
    this.linkType[i] = linkType;
  }

  timestampNs(i: number): bigint {
    return (this.firstNs ?? 0n) + BigInt(Math.round(this.relativeNs[i]!));
  }

  /** Bytes the index holds (its arrays' capacity). */
  get byteLength(): number {
    return this.offset.byteLength + this.relativeNs.byteLength + this.capturedLength.byteLength + this.originalLength.byteLength + this.linkType.byteLength;
  }

  private grow(): void {
    const n = this.offset.length * 2;
    const grown = <T extends Float64Array | Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.offset = grown(this.offset, (k) => new Float64Array(k));
    this.relativeNs = grown(this.relativeNs, (k) => new Float64Array(k));
    this.capturedLength = grown(this.capturedLength, (k) => new Uint32Array(k));
    this.originalLength = grown(this.originalLength, (k) => new Uint32Array(k));
    this.linkType = grown(this.linkType, (k) => new Uint16Array(k));
  }
}
