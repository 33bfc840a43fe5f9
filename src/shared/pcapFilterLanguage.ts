/**
 * The contract between labtel's language client (src/extension/bpf) and its pcap-filter language server
 * (src/server): the language ids, and LSP's extensions — the lab's addresses the client passes at start
 * (initializationOptions) and again whenever the workspace's labs change (a notification).
 */

/** The language of `.pcapfilter` and `.bpf` files (package.json contributes.languages). */
export const PCAP_FILTER_LANGUAGE_ID = 'pcap-filter';

/** The language of `tcpdump -d` listings (`.bpfasm`, and the read-only "Show Compiled BPF" documents). */
export const BPF_ASM_LANGUAGE_ID = 'bpf-asm';

/** An address a lab gives one of its nodes (without its prefix length). */
export interface LabAddress {
  readonly address: string;
  readonly node: string;
  readonly lab: string;
  /** The node's interface that holds it, when known. */
  readonly interface?: string;
}

/** What the client passes in `initialize`'s initializationOptions. */
export interface PcapFilterInitializationOptions {
  readonly labAddresses: readonly LabAddress[];
}

/** Client → server: the addresses of the workspace's labs, all of them, replacing what was sent before. */
export const LAB_ADDRESSES_NOTIFICATION = 'labtel/labAddresses';

export interface LabAddressesParams {
  readonly addresses: readonly LabAddress[];
}
