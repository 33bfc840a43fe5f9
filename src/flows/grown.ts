type GrowableArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

/**
 * A copy of `a` with room for `length` elements, its contents at the front (the rest zero): the
 * flow structures keep their columns in typed arrays, which cannot grow in place.
 */
export function grown<T extends GrowableArray>(a: T, length: number): T {
  const b = new (a.constructor as new (length: number) => T)(length);
  b.set(a);
  return b;
}
