/**
 * The Top Talkers panel's model: the latest ranking a top-talkers agent reported. Each `talkers` event is
 * a whole ranking, so the model keeps one and posts it when it changed.
 */
import type { TalkersEvent } from '../../shared/events';
import type { ExtensionToWebview, TalkersSnapshotMessage } from '../../shared/webviewMessages';

export interface TalkersSnapshot {
  readonly latest: TalkersSnapshotMessage | undefined;
  readonly rankings: number;
}

export class TalkersModel {
  private latest: TalkersSnapshotMessage | undefined;
  private changed = false;
  private rankings = 0;

  accept(e: TalkersEvent): void {
    this.latest = { type: 'talkers/snapshot', ts: e.ts, window: e.window, by: e.by, top: e.top, flows: e.flows, rows: e.rows };
    this.changed = true;
    this.rankings++;
  }

  drain(): ExtensionToWebview[] {
    if (!this.changed || !this.latest) return [];
    this.changed = false;
    return [this.latest];
  }

  replay(): ExtensionToWebview[] {
    this.changed = false;
    return this.latest ? [this.latest] : [];
  }

  clear(): void {
    this.latest = undefined;
    this.changed = false;
  }

  snapshot(): TalkersSnapshot {
    return { latest: this.latest, rankings: this.rankings };
  }
}
