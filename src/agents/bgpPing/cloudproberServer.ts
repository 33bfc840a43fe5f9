import type { Readable, Writable } from 'node:stream';
import { CloudproberFrameReader, decodeProbeRequest, encodeFrame, encodeProbeReply, formatRttLine, type ProbeRequest } from '../../protocols/cloudprober';
import { DecodeError } from '../../protocols/decodeError';

/** What one Cloudprober request runs: the RTT per responder it got, or an error to report. */
export type ProbeRun = (request: ProbeRequest) => Promise<{ rtts: Array<{ responder: string; rttMs: number }>; error?: string }>;

/**
 * Cloudprober's external probe in SERVER mode (probes/external/serverutils): ProbeRequests framed as
 * `\nContent-Length: N\n\n` + protobuf on stdin, one ProbeReply per request on stdout in the same
 * framing, none once the request's time_limit has passed (Cloudprober has given up on it by then).
 * stdout is the protocol channel: nothing else may be written there.
 */
export function serveCloudprober(input: Readable, output: Writable, run: ProbeRun, log: (line: string) => void): Promise<void> {
  const reader = new CloudproberFrameReader();
  let pending = Promise.resolve();
  input.on('data', (chunk: Buffer) => {
    for (const body of reader.push(chunk)) {
      let request: ProbeRequest;
      try {
        request = decodeProbeRequest(body);
      } catch (err) {
        if (err instanceof DecodeError) { log(`cloudprober: malformed ProbeRequest: ${err.message}`); continue; }
        throw err;
      }
      const deadline = Date.now() + (request.timeLimit > 0 ? request.timeLimit : Infinity);
      // One probe at a time, replies in request order.
      pending = pending.then(async () => {
        const result = await run(request);
        if (Date.now() > deadline) { log(`cloudprober: request ${request.requestId} passed its ${request.timeLimit} ms limit; no reply`); return; }
        const payload = result.rtts.map((r) => formatRttLine(r.responder, Number(r.rttMs.toFixed(3)))).join('\n');
        output.write(encodeFrame(encodeProbeReply({ requestId: request.requestId, ...(result.error ? { errorMessage: result.error } : {}), payload })));
      });
    }
    if (reader.garbage) log(`cloudprober: ${reader.garbage} bytes sequences outside frames skipped so far`);
  });
  return new Promise((resolve) => input.on('end', () => { void pending.then(resolve); }));
}
