/**
 * Checks what the capture viewer's webview posts before the host acts on it: a webview is a page, and a
 * message is data to validate, not a value to trust. Returns the message, or why it was refused.
 */
import type { WebviewToCapture } from '../../shared/captureMessages';

/** Longer than any filter a person types; a page that sends more is refused. */
const MAX_EXPRESSION_LENGTH = 10_000;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

export function parseCaptureMessage(value: unknown): WebviewToCapture | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready': return { type: 'ready' };
    case 'error': return typeof m.message === 'string' ? { type: 'error', message: m.message } : 'error without a message';
    case 'capture/rowsRequest':
      if (!isCount(m.view)) return 'rowsRequest needs a view number ≥ 0';
      return isCount(m.from) && isCount(m.to) && m.to >= m.from ? { type: m.type, view: m.view, from: m.from, to: m.to } : 'rowsRequest needs 0 ≤ from ≤ to';
    case 'capture/filter':
      return typeof m.expression === 'string' && m.expression.length <= MAX_EXPRESSION_LENGTH
        ? { type: m.type, expression: m.expression }
        : `filter needs an expression of at most ${MAX_EXPRESSION_LENGTH} characters`;
    case 'capture/detailRequest':
      return isCount(m.number) && m.number >= 1 ? { type: m.type, number: m.number } : 'detailRequest needs a packet number ≥ 1';
    case 'capture/decodeAs':
      return Array.isArray(m.sflowPorts) && m.sflowPorts.every(isPort) ? { type: m.type, sflowPorts: m.sflowPorts as number[] } : 'decodeAs needs UDP ports 1-65535';
    case 'capture/export':
      if (m.numbers === undefined) return { type: m.type };
      return Array.isArray(m.numbers) && m.numbers.every((n) => isCount(n) && n >= 1) ? { type: m.type, numbers: m.numbers as number[] } : 'export needs packet numbers ≥ 1';
    default: return `unknown message type ${JSON.stringify(m.type)}`;
  }
}
