import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SflowIngest } from '../../../src/agents/ingest/sflowIngest';
import { IngestMetrics } from '../../../src/agents/runtime/metrics';
import { captureDatagrams } from '../../helpers/agentProcess';
import { capturePath } from '../../helpers/corpus';

const datagrams = captureDatagrams(capturePath('lab-sflow.pcap')).slice(0, 20);

function counter(text: string, name: string): number {
  const m = new RegExp(`^labtel_top_talkers_${name}_total\\{agent="top-talkers"\\} (\\d+)$`, 'm').exec(text);
  assert.ok(m, `${name} in:\n${text.slice(0, 400)}`);
  return Number(m[1]);
}

test('the Prometheus counters equal the ingest counts at every scrape, counted once however often it is scraped', async () => {
  const metrics = new IngestMetrics('top-talkers');
  const ingest = new SflowIngest(metrics);
  for (const d of datagrams.slice(0, 12)) ingest.decode(d, 0, d.length);
  ingest.decode(Buffer.from([0, 0, 0, 4]), 0, 4); // not version 5: malformed
  ingest.droppedSoFar(7);
  for (let scrape = 0; scrape < 2; scrape++) {
    const text = await metrics.registry.metrics();
    assert.equal(counter(text, 'datagrams'), 13);
    assert.equal(counter(text, 'samples'), ingest.counts.samples);
    assert.equal(counter(text, 'records'), ingest.counts.records);
    assert.equal(counter(text, 'dropped'), 7);
    assert.match(text, /^labtel_top_talkers_malformed_total\{what="datagram",agent="top-talkers"\} 1$/m);
  }
  for (const d of datagrams.slice(12)) ingest.decode(d, 0, d.length);
  ingest.droppedSoFar(9);
  ingest.droppedSoFar(8); // a running total never goes back
  const text = await metrics.registry.metrics();
  assert.equal(counter(text, 'datagrams'), 21);
  assert.equal(counter(text, 'samples'), ingest.counts.samples);
  assert.equal(counter(text, 'dropped'), 9);
  assert.ok(ingest.counts.samples > 21);
});
