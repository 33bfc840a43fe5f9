/**
 * Mistakes in the pcap-filter expressions of a launch.json: each `labtel` configuration that runs the capture
 * agent with `--filter EXPR` in its `args`, marked at the place the compiler names inside the string when the
 * string has no JSON escapes (else the whole string).
 */
import { FILTER_AGENT, filterArgumentError } from './filterArguments';
import { parseJsonc, property, type JsonNode } from './jsoncTree';

export interface LaunchFilterProblem {
  start: number;
  end: number;
  message: string;
}

export function launchFilterProblems(text: string): LaunchFilterProblem[] {
  const configurations = property(parseJsonc(text), 'configurations');
  if (configurations?.type !== 'array') return [];
  const problems: LaunchFilterProblem[] = [];
  for (const config of configurations.items) {
    const type = property(config, 'type');
    const agent = property(config, 'agent');
    const args = property(config, 'args');
    if (type?.type !== 'string' || type.value !== 'labtel' || agent?.type !== 'string' || agent.value !== FILTER_AGENT || args?.type !== 'array') continue;
    const items = args.items;
    const argv = items.map((n: JsonNode) => (n.type === 'string' ? n.value : ''));
    const bad = filterArgumentError(argv);
    if (!bad) continue;
    const node = items[bad.argument.index]!;
    // Without escapes the characters of the string are those of the text: the error's offsets carry over.
    const raw = text.slice(node.offset + 1, node.end - 1);
    const exact = raw === argv[bad.argument.index];
    const at = node.offset + 1 + bad.argument.offset;
    problems.push({
      start: exact ? at + bad.error.start : node.offset,
      end: exact ? at + bad.error.end : node.end,
      message: `pcap-filter: ${bad.error.reason}`,
    });
  }
  return problems;
}
