/**
 * r3's sFlow agent is pmacctd with the sfprobe plugin (Debian's pmacct): it samples one interface with
 * libpcap and exports standard sFlow v5 flow samples carrying the raw packet headers. labtel starts it
 * from the node's bound pmacctd.conf, with the keys it must own replaced: it stays in the foreground
 * (labtel tracks its pid), writes its pid and log under the lab's state folder, and — when the node's
 * `labtel.sflow.sampling-rate` label says so — samples at the lab's rate.
 */
const ownedKeys = new Set(['daemonize', 'pidfile', 'logfile', 'syslog']);

export interface PmacctdOverrides {
  readonly pidFile: string;
  readonly logFile: string;
  readonly samplingRate?: number | undefined;
}

/** Returns the config text pmacctd runs with. pmacct's syntax: "key: value" lines, "!" comments. */
export function pmacctdConfig(bound: string, overrides: PmacctdOverrides): string {
  const replaceRate = overrides.samplingRate !== undefined;
  if (replaceRate && (!Number.isInteger(overrides.samplingRate) || overrides.samplingRate! < 1)) {
    throw new Error(`sFlow sampling rate must be a whole number >= 1, not ${overrides.samplingRate}`);
  }
  const kept = bound.split('\n').filter((line) => {
    const key = /^\s*([a-z0-9_]+)\s*(\[[^\]]*\])?\s*:/.exec(line)?.[1];
    return key === undefined || !(ownedKeys.has(key) || (replaceRate && key === 'sampling_rate'));
  });
  return [
    ...kept,
    '! set by labtel',
    'daemonize: false',
    `pidfile: ${overrides.pidFile}`,
    `logfile: ${overrides.logFile}`,
    ...(replaceRate ? [`sampling_rate: ${overrides.samplingRate}`] : []),
    '',
  ].join('\n');
}

/** The value of a key in a pmacct config, if set. */
export function pmacctdValue(config: string, key: string): string | undefined {
  let value: string | undefined;
  for (const line of config.split('\n')) {
    const m = /^\s*([a-z0-9_]+)\s*(?:\[[^\]]*\])?\s*:\s*(.*?)\s*$/.exec(line);
    if (m && m[1] === key) value = m[2];
  }
  return value;
}
