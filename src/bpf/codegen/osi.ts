/**
 * OSI network protocols over 802.2 LLC (libpcap's gen_proto for Q_ISO and Q_ISIS): an OSI frame has DSAP and
 * SSAP 0xFE (ISO network layer); its first byte after the LLC header is the network layer protocol identifier
 * (ISO/IEC TR 9577: 0x81 CLNP, 0x82 ES-IS, 0x83 IS-IS), and an IS-IS PDU's type is its fifth byte (ISO/IEC 10589
 * clause 9.5: the low five bits of that byte; libpcap compares the whole byte).
 */
import type { Range } from '../ast';
import { compileError } from '../compileError';
import { and, or, type Predicate } from '../predicate';
import { equals, LLCSAP, linkType } from './link';
import { noSnapNetworkOffset, type CodegenState } from './state';

export const NLPID = { CLNP: 0x81, ESIS: 0x82, ISIS: 0x83 } as const;

/** IS-IS PDU types (ISO/IEC 10589 clause 9): LAN hellos of each level, point-to-point hello, LSPs, CSNPs, PSNPs. */
const PDU = { L1_LAN_IIH: 15, L2_LAN_IIH: 16, PTP_IIH: 17, L1_LSP: 18, L2_LSP: 20, L1_CSNP: 24, L2_CSNP: 25, L1_PSNP: 26, L2_PSNP: 27 } as const;

/** The PDU types each IS-IS keyword stands for; the point-to-point hello counts for both levels, as in libpcap. */
export const ISIS_PDU_TYPES: Record<string, number[]> = {
  l1: [PDU.L1_LAN_IIH, PDU.PTP_IIH, PDU.L1_LSP, PDU.L1_CSNP, PDU.L1_PSNP],
  l2: [PDU.L2_LAN_IIH, PDU.PTP_IIH, PDU.L2_LSP, PDU.L2_CSNP, PDU.L2_PSNP],
  iih: [PDU.L1_LAN_IIH, PDU.L2_LAN_IIH, PDU.PTP_IIH],
  lsp: [PDU.L1_LSP, PDU.L2_LSP],
  snp: [PDU.L1_CSNP, PDU.L2_CSNP, PDU.L1_PSNP, PDU.L2_PSNP],
  csnp: [PDU.L1_CSNP, PDU.L2_CSNP],
  psnp: [PDU.L1_PSNP, PDU.L2_PSNP],
};

/** `iso proto \NAME`: the protocol names libpcap knows for OSI. */
export const OSI_PROTOCOLS = new Map<string, number>([['clnp', NLPID.CLNP], ['esis', NLPID.ESIS], ['isis', NLPID.ISIS]]);

/** The offset of the PDU type in an IS-IS header (ISO/IEC 10589 clause 9.5). */
const ISIS_PDU_TYPE_OFFSET = 4;

/** `iso`: an OSI frame. */
export function iso(s: CodegenState, range: Range): Predicate {
  return linkType(s, LLCSAP.ISONS, range);
}

/** `iso proto N` (and `clnp`, `esis`, `isis`): an OSI frame whose NLPID is N. */
export function isoProtocol(s: CodegenState, nlpid: number, range: Range): Predicate {
  return and(iso(s, range), equals(noSnapNetworkOffset(s), 1, nlpid));
}

/** `isis proto N`: an IS-IS PDU of type N. */
export function isisPduType(s: CodegenState, type: number, range: Range): Predicate {
  return and(isoProtocol(s, NLPID.ISIS, range), equals(noSnapNetworkOffset(s, ISIS_PDU_TYPE_OFFSET), 1, type));
}

/** `l1`, `l2`, `iih`, `lsp`, `snp`, `csnp`, `psnp`: IS-IS PDUs of those types. */
export function isisKeyword(s: CodegenState, keyword: string, range: Range): Predicate {
  const types = ISIS_PDU_TYPES[keyword];
  if (!types) throw compileError(s, range, `'${keyword}' is not an IS-IS PDU class`);
  return or(...types.map((t) => isisPduType(s, t, range)));
}
