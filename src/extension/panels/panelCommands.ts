import type { CommandTable } from '../commandTable';

/** Show Flows / Top Talkers / BGP RTT: open the panel beside the editor, or bring it forward. */
export const panelCommands: CommandTable = {
  'labtel.panel.flows': (ctx) => () => ctx.panels.show('flows').viewType,
  'labtel.panel.talkers': (ctx) => () => ctx.panels.show('talkers').viewType,
  'labtel.panel.rtt': (ctx) => () => ctx.panels.show('rtt').viewType,
};
