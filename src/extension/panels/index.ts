export { Panels, type PanelActions, FLUSH_INTERVAL_MS } from './panels';
