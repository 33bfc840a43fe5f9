// The captures the project generates for the pcap-filter differentials (test/fixtures/bpf/generate.ts):
// every frame kind on Ethernet, the same cut to 0–60 bytes, and the IP frames as raw IP.
import path from 'node:path';
import { repoRoot } from '../../../helpers/corpus';
import type { LinkType } from '../../../../src/bpf';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bpf');

export const GENERATED_CAPTURES: ReadonlyArray<{ file: string; linkType: LinkType }> = [
  { file: path.join(fixtures, 'varied.pcap'), linkType: 'en10mb' },
  { file: path.join(fixtures, 'short.pcap'), linkType: 'en10mb' },
  { file: path.join(fixtures, 'varied-raw.pcap'), linkType: 'raw' },
];
