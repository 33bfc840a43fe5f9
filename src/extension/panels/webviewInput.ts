/**
 * What a webview posts, checked before the extension acts on it: a webview is a page that draws wire text,
 * so its messages are treated as input, not trusted objects.
 */
import type { WebviewToExtension } from '../../shared/webviewMessages';

/** Longest filter expression accepted from a webview (a flow's is under 120 characters). */
const MAX_FILTER_LENGTH = 1024;
const MAX_ERROR_LENGTH = 4096;
const TALKER_UNITS = new Set(['bytes', 'packets', 'samples']);

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The message as its type, or a sentence saying what is wrong with it. */
export function parseWebviewMessage(value: unknown): WebviewToExtension | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'flows/detailRequest':
      return isInt(m.id, 1, Number.MAX_SAFE_INTEGER) ? { type: 'flows/detailRequest', id: m.id } : `flows/detailRequest: id ${JSON.stringify(m.id)} is not a row id`;
    case 'flows/copyFilter':
    case 'flows/captureFlow':
      if (typeof m.filter !== 'string' || m.filter.length === 0 || m.filter.length > MAX_FILTER_LENGTH || /[\0\n\r]/.test(m.filter)) {
        return `${m.type}: the filter must be one line of 1 to ${MAX_FILTER_LENGTH} characters`;
      }
      return { type: m.type, filter: m.filter };
    case 'talkers/config':
      if (!isInt(m.window, 1, 3600) || !isInt(m.top, 1, 10_000) || typeof m.by !== 'string' || !TALKER_UNITS.has(m.by)) {
        return `talkers/config: window 1-3600 s, top 1-10000 and by bytes|packets|samples expected, got ${JSON.stringify({ window: m.window, top: m.top, by: m.by })}`;
      }
      return { type: 'talkers/config', window: m.window, top: m.top, by: m.by as 'bytes' | 'packets' | 'samples' };
    case 'error':
      return { type: 'error', message: String(m.message).slice(0, MAX_ERROR_LENGTH) };
    default:
      return `unknown message type ${JSON.stringify(m.type)}`;
  }
}
