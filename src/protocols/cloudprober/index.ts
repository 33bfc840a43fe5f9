/** Cloudprober's external-probe server protocol: framing, the two messages, payload metric lines. */
export { CloudproberFrameReader, encodeFrame, type FrameReaderOptions } from './framing';
export { decodeProbeReply, decodeProbeRequest, encodeProbeReply, encodeProbeRequest, type ProbeOption, type ProbeReply, type ProbeRequest } from './messages';
export { formatMetricLine, formatRttLine, parsePayload, parsePayloadLine, type MetricLabels, type PayloadMetric } from './payload';
