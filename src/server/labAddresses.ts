/**
 * What the server knows of the workspace's labs: the addresses their nodes have (sent by the client), to complete
 * host addresses, to replace a node's name by its address, and to see when a lab speaks one IP family only.
 */
import type { LabAddress } from '../shared/pcapFilterLanguage';

/** IPv6 link-local addresses (fe80::/10) exist on every interface and say nothing of the lab's addressing. */
const LINK_LOCAL_V6 = /^fe[89ab][0-9a-f]:/i;

export class LabAddresses {
  private list: readonly LabAddress[] = [];

  set(addresses: readonly LabAddress[] | undefined): void {
    this.list = Array.isArray(addresses) ? addresses.filter((a) => typeof a?.address === 'string' && typeof a.node === 'string') : [];
  }

  all(): readonly LabAddress[] {
    return this.list;
  }

  /** The addresses of a node by its name (`host-2`), in the order the client sent them. */
  ofNode(node: string): string[] {
    return [...new Set(this.list.filter((a) => a.node === node).map((a) => a.address))];
  }

  /** The labs have addresses, every one of them IPv6 (link-local aside): no IPv4 packet is to be seen there. */
  ipv6Only(): boolean {
    const global = this.list.filter((a) => !LINK_LOCAL_V6.test(a.address));
    return global.length > 0 && global.every((a) => a.address.includes(':'));
  }

  /** The lab names, for messages. */
  labNames(): string[] {
    return [...new Set(this.list.map((a) => a.lab))];
  }
}
