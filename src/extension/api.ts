/** An item of the Lab view as the user sees it: label, description and children. */
export interface TreeSnapshot {
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
  readonly children: readonly TreeSnapshot[];
}

/** The extension's API, returned from activate(): what tests and other extensions may use. */
export interface LabtelApi {
  readonly version: string;
  readonly commands: readonly string[];
  /** How long activate() took, ms. */
  readonly activationMs: number;
  /** The labs the Lab view shows: each topology file with its name, state and nodes, or its error. */
  labs(): Promise<Array<{ file: string; name?: string; error?: string; status: string; nodes: string[] }>>;
  /** The Lab view's items, three levels deep (labs, nodes, what is under a node). */
  tree(): Promise<TreeSnapshot[]>;
  /** The agents the editor runs. */
  agents(): Array<{ id: string; lab: string; node: string; agent: string; state: string; pid: number | undefined; args: string[] }>;
  /** The last event of a type an agent wrote (e.g. its latest `talkers` ranking). */
  lastEvent(id: string, type: string): unknown;
  statusBarText(): string;
  /** What a panel's model holds (flows, talkers, rtt), and whether it is open and its webview ready. */
  panel(kind: string): unknown;
  /** The traffic profile this window started in a lab, if it runs. */
  traffic(lab: string): string | undefined;
}
