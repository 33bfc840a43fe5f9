/**
 * The line at the top of every panel: where its data comes from (lab host · lab · node · agent) and
 * whether that agent runs, or, before any agent runs, what to do to start one.
 */
import type { AgentName } from '../../src/shared/agents';
import type { PanelSource } from '../../src/shared/webviewMessages';
import { el } from './dom';

export class SourceHeader {
  readonly element: HTMLElement;
  private readonly sources: HTMLElement;
  private readonly extra: HTMLElement;

  constructor(title: string, private readonly agent: AgentName) {
    this.sources = el('div', 'sources', { 'aria-live': 'polite' });
    this.extra = el('div', 'header-extra');
    this.element = el('header', 'panel-header', undefined, el('h1', 'panel-title', undefined, title), this.sources, this.extra);
    this.set([]);
  }

  /** Extra text at the header's right end (a session state, a count). */
  get right(): HTMLElement {
    return this.extra;
  }

  set(all: readonly PanelSource[]): void {
    const mine = all.filter((s) => s.agent === this.agent);
    this.sources.replaceChildren();
    if (mine.length === 0) {
      this.sources.append(el('span', 'source none', undefined, `no ${this.agent} agent running`));
      return;
    }
    for (const s of mine) {
      const state = s.running ? 'running' : 'stopped';
      this.sources.append(el('span', `source ${state}`, { title: `${this.agent} in ${s.node} of ${s.lab} on ${s.labHost}: ${state}` },
        el('span', 'dot', { 'aria-hidden': 'true' }),
        [s.labHost, s.lab, s.node, s.agent].join(' · '),
        el('span', 'state', undefined, state)));
    }
  }
}

/** An empty state that says what to do: a headline and the step, with the command's name set apart. */
export function emptyState(headline: string, step: string, command: string): HTMLElement {
  return el('div', 'empty', { role: 'status' },
    el('div', 'empty-headline', undefined, headline),
    el('div', 'empty-step', undefined, step, ' ', el('span', 'command', undefined, command)));
}
