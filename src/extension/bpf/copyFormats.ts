/**
 * The forms "labtel: Copy BPF As…" offers, each the way people paste a classic BPF program: C as `tcpdump -dd`
 * prints it (struct sock_filter initialisers, for SO_ATTACH_FILTER), Go for golang.org/x/net/bpf (the book's
 * form), a TypeScript array, `tcpdump -ddd`'s decimal (for `tc`/iptables' bpf match), and the `-d` listing.
 */
import type { Instruction } from '../../bpf';
import { bpfCore } from './bpfCore';

export interface CopyFormat {
  /** What the command takes as its argument (labtel.bpf.copyAs "go"). */
  readonly id: string;
  readonly label: string;
  readonly detail: string;
  readonly render: (program: readonly Instruction[]) => string;
}

export const COPY_FORMATS: readonly CopyFormat[] = [
  { id: 'c', label: 'C', detail: 'struct sock_filter initialisers, as tcpdump -dd prints them', render: (p) => bpfCore().toC(p) },
  { id: 'go', label: 'Go', detail: 'golang.org/x/net/bpf instructions', render: (p) => bpfCore().toGo(p) },
  { id: 'ts', label: 'TypeScript', detail: "an array of labtel's Instruction", render: (p) => bpfCore().toTypeScript(p) },
  { id: 'decimal', label: 'Decimal', detail: 'the count, then code jt jf k, as tcpdump -ddd prints them', render: (p) => bpfCore().toDecimal(p) },
  { id: 'listing', label: 'Listing', detail: 'BPF assembly, as tcpdump -d prints it', render: (p) => bpfCore().disassemble(p) },
];
