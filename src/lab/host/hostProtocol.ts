/**
 * How labtel on this machine drives labtel's core on a lab host: `labtel backend METHOD -t FILE
 * --backend KIND [ARGS]` runs one Backend method there and prints one JSON line, the result or the
 * error. The host's lab state (/run/labtel/<lab>/state.json), its namespaces and its processes stay on
 * the host; only these answers cross the connection.
 */
export const backendMethods = ['deploy', 'destroy', 'inspect', 'logs', 'traffic-start', 'traffic-stop'] as const;
export type BackendMethod = (typeof backendMethods)[number];

export type BackendAnswer =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly name: string; readonly error: string };

export function isBackendMethod(text: string): text is BackendMethod {
  return (backendMethods as readonly string[]).includes(text);
}

/** The answer in a command's stdout: its last line that is a JSON object with "ok". */
export function parseBackendAnswer(stdout: string): BackendAnswer | undefined {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const v = JSON.parse(line) as Partial<BackendAnswer>;
      if (typeof v === 'object' && v !== null && typeof v.ok === 'boolean') return v as BackendAnswer;
    } catch { /* not the answer */ }
  }
  return undefined;
}
