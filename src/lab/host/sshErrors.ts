/**
 * What OpenSSH printed when a connection failed, turned into one sentence that says what is wrong and
 * what to do. labtel never answers a prompt (BatchMode) and never relaxes host key checking: a
 * refused key, a changed or unknown host key and an unreachable host are errors.
 */
export class SshConnectionError extends Error {
  override readonly name = 'SshConnectionError';
  constructor(readonly host: string, readonly reason: SshFailure, message: string) {
    super(message);
  }
}

export type SshFailure = 'key-refused' | 'host-key-changed' | 'host-key-unknown' | 'unreachable' | 'connection-lost' | 'other';

export function explainSshFailure(host: string, log: string, code: number | null): SshConnectionError {
  const text = log.trim();
  const last = text.split('\n').filter((l) => l.trim() !== '').slice(-2).join(' ').trim();
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(text)) {
    const where = /Offending \S+ key in (\S+)/.exec(text)?.[1];
    return new SshConnectionError(host, 'host-key-changed',
      `${host}: its host key is not the one recorded in known_hosts${where ? ` (${where})` : ''}, so labtel does not connect. ` +
      'If the host was reinstalled, check the new key with its administrator and replace the old one (ssh-keygen -R HOST); otherwise someone may be intercepting the connection.');
  }
  if (/Host key verification failed|No \S+ host key is known for/.test(text)) {
    return new SshConnectionError(host, 'host-key-unknown',
      `${host}: its host key is not in known_hosts. Connect once with "ssh ${host}", check the fingerprint and accept it; labtel never accepts a host key by itself.`);
  }
  if (/Permission denied \(/.test(text)) {
    const methods = /Permission denied \(([^)]*)\)/.exec(text)?.[1] ?? '';
    return new SshConnectionError(host, 'key-refused',
      `${host} refused the login (${methods}): add your public key to the host's authorized_keys, or name the key with IdentityFile in ssh_config; ` +
      'labtel logs in with keys only (ssh-agent or an IdentityFile) and never asks for or stores a password.');
  }
  if (/Could not resolve hostname|Connection refused|Connection timed out|No route to host|Network is unreachable|connect to host/.test(text)) {
    return new SshConnectionError(host, 'unreachable', `${host} is not reachable: ${last}`);
  }
  // A client whose master connection was killed exits 255 without a word.
  if ((text === '' && code === 255) || /Connection closed|Connection reset|Broken pipe|closed by remote host|mux_client|Control socket connect/.test(text)) {
    return new SshConnectionError(host, 'connection-lost', `the connection to ${host} was lost${last ? `: ${last}` : ''}`);
  }
  return new SshConnectionError(host, 'other', `ssh to ${host} failed${code !== null ? ` (exit ${code})` : ''}: ${last || 'no message'}`);
}
