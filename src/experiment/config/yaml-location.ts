/** Where a key path of a parsed YAML document starts in its source, for file:line:col messages. */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';

/**
 * The source offset of a key path: the value when it is a scalar, else the
 * key (or the list item); for a path that does not exist, its deepest
 * existing part.
 */
export function offsetOf(doc: Document, path: readonly (string | number)[], atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string | number;
    const last = i === path.length - 1;
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return offset;
      const keyStart = rangeStart(pair.key) ?? offset;
      const value = pair.value;
      const valueStart = rangeStart(value);
      offset = last && !atKey && isScalar(value) && valueStart !== undefined ? valueStart : keyStart;
      if (!last && valueStart !== undefined && !isMap(value) && !isSeq(value) && !isAlias(value)) return valueStart;
      node = value;
      continue;
    }
    if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      const start = rangeStart(item);
      if (start === undefined) return offset;
      offset = start;
      node = item;
      continue;
    }
    return offset;
  }
  return offset;
}

export function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}
