/**
 * `containerlab inspect --format json` output. Since containerlab 0.68 the document is an object keyed
 * by lab name, each value a list of containers (containerlab's types.ContainerDetails: lab_name,
 * labPath, absLabPath, name, container_id, image, kind, group, state, status, ipv4_address,
 * ipv6_address, ports, owner). Earlier releases printed a bare list, or {"containers": [...]}; all
 * three are read.
 */
export interface ContainerlabContainer {
  readonly lab_name: string;
  readonly name: string;
  readonly container_id: string;
  readonly image: string;
  readonly kind: string;
  readonly state: string;
  readonly status?: string;
  readonly ipv4_address: string;
  readonly ipv6_address: string;
  readonly ports?: unknown[];
  readonly owner?: string;
  readonly labPath?: string;
  readonly absLabPath?: string;
  readonly group?: string;
}

export function parseContainerlabInspect(json: string, lab: string): ContainerlabContainer[] {
  const text = json.trim();
  if (text === '') return [];
  const doc = JSON.parse(text) as unknown;
  let list: unknown[];
  if (Array.isArray(doc)) list = doc;
  else if (doc && typeof doc === 'object' && Array.isArray((doc as { containers?: unknown }).containers)) list = (doc as { containers: unknown[] }).containers;
  else if (doc && typeof doc === 'object') list = (doc as Record<string, unknown[]>)[lab] ?? [];
  else throw new Error('containerlab inspect printed something that is not JSON of containers');
  return (list as ContainerlabContainer[]).filter((c) => c && typeof c.name === 'string' && (c.lab_name === undefined || c.lab_name === lab));
}
