/**
 * Helpers for the layer tests: bytes written out as hex in the test (spaces and comments ignored), field
 * checks on decoded layers, the truncation sweep every layer test runs, and the tests every layer table gets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError } from '../../../src/protocols/decodeError';
import { DecodedPacket, FirstLayer, decodePacket } from '../../../src/protocols/packet';
import { requirePrereqs } from '../../helpers/tools';
import { casesVersusTshark } from './tsharkCompare';

/** "00 11 22 # comment" lines → bytes. */
export function hex(...parts: string[]): Uint8Array {
  const clean = parts
    .join('\n')
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/[\s:]/g, '');
  assert.ok(/^([0-9a-fA-F]{2})*$/.test(clean), `bad hex: ${clean}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Asserts that `actual` has every key of `expected` with an equal value (other keys are free). */
export function assertFields(actual: object, expected: Record<string, unknown>, what: string): void {
  const a = actual as Record<string, unknown>;
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(a[k], v, `${what}.${k}`);
}

export interface LayerCase {
  name: string;
  first: FirstLayer;
  bytes: Uint8Array;
  kinds: string[];
  /** Fields to check per layer index. */
  layers?: Record<number, Record<string, unknown>>;
  /** Fields to check on the packet. */
  packet?: Partial<Record<keyof DecodedPacket, unknown>>;
}

/** Decodes a case and checks its layer kinds and fields; returns the packet. */
export function checkCase(c: LayerCase): DecodedPacket {
  const p = decodePacket(c.bytes, c.first);
  assert.deepEqual(
    p.layers.map((l) => l.kind),
    c.kinds,
    'layer kinds',
  );
  for (const [i, fields] of Object.entries(c.layers ?? {})) assertFields(p.layers[Number(i)]!, fields, `layer ${i} (${p.layers[Number(i)]?.kind})`);
  if (c.packet) assertFields(p, c.packet, 'packet');
  for (const l of p.layers) assert.ok(l.start >= 0 && l.start <= l.end && l.end <= c.bytes.length, `${l.kind} range [${l.start}, ${l.end}) inside the bytes`);
  return p;
}

/**
 * Cuts the frame at every byte boundary inside its headers: decoding must never throw (a short capture is
 * truncation, not an error), must set `truncated`, keep only whole-header prefixes of the full decode's layers
 * within the bytes, and keep L4 ports once their 4 bytes are there.
 */
export function assertTruncationSafe(c: LayerCase): number {
  const full = decodePacket(c.bytes, c.first);
  const headersEnd = full.layers.length ? full.layers[full.layers.length - 1]!.end : 0;
  let cuts = 0;
  for (let cut = 0; cut < headersEnd; cut++) {
    let p: DecodedPacket;
    try {
      p = decodePacket(c.bytes, c.first, 0, cut);
    } catch (err) {
      assert.ok(err instanceof DecodeError, `cut at ${cut}: threw ${String(err)}`);
      assert.fail(`cut at ${cut}: a short capture must be truncation, not ${String(err)}`);
    }
    cuts++;
    assert.equal(p.truncated, true, `cut at ${cut}: truncated`);
    assert.ok(p.truncatedIn !== undefined, `cut at ${cut}: truncatedIn`);
    assert.ok(p.layers.length <= full.layers.length, `cut at ${cut}: no more layers than the whole frame`);
    p.layers.forEach((l, i) => {
      assert.equal(l.kind, full.layers[i]!.kind, `cut at ${cut}: layer ${i}`);
      assert.ok(l.end <= cut, `cut at ${cut}: ${l.kind} ends at ${l.end}, within the bytes`);
    });
    // The ports of the innermost L4 header whose first 4 bytes are there, unless an IP header decoded after it.
    let ports: [number, number] | undefined;
    for (const l of full.layers) {
      if ((l.kind === 'ipv4' && cut >= l.start + 20) || (l.kind === 'ipv6' && cut >= l.start + 40)) ports = undefined;
      if ((l.kind === 'tcp' || l.kind === 'udp' || l.kind === 'sctp') && cut >= l.start + 4) ports = [l.srcPort, l.dstPort];
    }
    assert.deepEqual(p.srcPort === undefined ? undefined : [p.srcPort, p.dstPort], ports, `cut at ${cut}: ports`);
  }
  return cuts;
}

/**
 * Registers the tests every layer table gets: per case, its decode (`checkCase`) and its truncation sweep
 * (`assertTruncationSafe`); then one test that has tshark dissect every whole frame of the table and expects
 * no field on which labtel and tshark disagree.
 */
export function layerCaseTests(cases: LayerCase[]): void {
  for (const c of cases) {
    test(c.name, () => {
      checkCase(c);
    });
    test(`${c.name} — cut at every byte of its headers: truncated, never thrown`, () => {
      assertTruncationSafe(c);
    });
  }

  test('every whole frame above decodes as tshark dissects it, field by field', async (t) => {
    if (!requirePrereqs(t, { tools: ['tshark'] })) return;
    assert.deepEqual(await casesVersusTshark(cases), []);
  });
}
