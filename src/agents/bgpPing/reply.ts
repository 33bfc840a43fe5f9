import type { Probe } from '../../protocols/bgp';

/**
 * What a speaker does with a probe it received, as the book's responder does:
 * - a request from someone else (destination empty) is answered: same source, timestamp and
 *   sequence, destination set to this speaker's id;
 * - its own request coming back (source is itself, destination empty: a router sent the route back)
 *   is ignored, as is any reply (destination set): replies are for the prober.
 */
export function replyTo(probe: Probe, id: string): Probe | undefined {
  if (probe.destination !== '' || probe.source === id) return undefined;
  return { ...probe, destination: id };
}
