import type { AgentName } from '../../shared/agents';
import { presetsFor } from '../../agents/client/agentPresets';
import { withFlags } from '../../agents/client/agentFlags';
import type { PanelActions } from '../panels';
import { requireTopology, type Labs } from '../lab/labs';
import type { AgentManager, ManagedAgent } from './agentManager';

/**
 * What the panels ask of the agents: "Capture this flow" restarts the capture agent with a new filter,
 * the Top Talkers selectors restart top-talkers with a new window, top-N and unit. Only the flags meant
 * change (withFlags); an agent not running yet is started where the lab suggests.
 */
export function panelActions(agents: AgentManager, labs: Labs): PanelActions {
  async function restart(agent: AgentName, values: Record<string, string>): Promise<void> {
    const running = agents.list().filter((a) => a.agent === agent);
    if (running.length > 0) {
      await Promise.all(running.map((a: ManagedAgent) => agents.start(a.backend, a.node, a.agent, withFlags(a.args, values))));
      return;
    }
    const lab = (await labs.list()).find((l) => l.info?.deployed);
    if (!lab) throw new Error(`no lab is deployed, so ${agent} cannot be started: deploy one first (labtel: Deploy Lab)`);
    const topology = requireTopology(lab);
    const preset = presetsFor(topology, agent)[0];
    if (!preset) throw new Error(`lab ${topology.name} suggests no node for ${agent}: start it with labtel: Start Agent`);
    await agents.start(labs.backend(topology), preset.node, agent, withFlags(preset.args, values));
  }
  return {
    captureFlow: (filter) => restart('capture', { filter }),
    configureTalkers: (cfg) => restart('top-talkers', { window: String(cfg.window), top: String(cfg.top), by: cfg.by }),
  };
}
