/**
 * The agents labtel runs inside lab nodes: one list, used by the CLI (`labtel agent NAME`), the build
 * (one bundle per agent under dist/agents/), the extension's AgentManager and the debug adapter.
 */
export const AGENT_NAMES = ['capture', 'top-talkers', 'bgp-ping'] as const;

export type AgentName = (typeof AGENT_NAMES)[number];

export function isAgentName(value: unknown): value is AgentName {
  return typeof value === 'string' && (AGENT_NAMES as readonly string[]).includes(value);
}

/** What each agent is for, in the words a quick pick or a help text shows. */
export const AGENT_SUMMARIES: Readonly<Record<AgentName, string>> = {
  capture: 'libpcap + BPF filter; decodes sFlow down to the sampled headers',
  'top-talkers': 'sFlow collector; ranks conversations live',
  'bgp-ping': 'BGP speaker; measures UPDATE round-trip time through the routers',
};
