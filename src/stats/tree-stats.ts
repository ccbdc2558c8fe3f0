/**
 * Forest statistics from parent pointers: which tree each node belongs to,
 * its level, and each tree's size and depth. Used to reconstruct liquidation
 * cascades from cause ids (DESIGN.md: a cascade is a tree of liquidations).
 *
 * @module
 */

/** One tree of the forest. */
export interface TreeSummary {
  /** Index of the root node. */
  root: number;
  /** Number of nodes in the tree (≥ 1). */
  size: number;
  /** Number of generations: 1 + the largest level in the tree (1 for a lone root). */
  depth: number;
}

/** Result of {@link treeStats}. */
export interface ForestStats {
  /** Root index of each node's tree. */
  rootOf: number[];
  /** Level of each node: 0 for a root, parent's level + 1 otherwise. */
  level: number[];
  /** Index into `trees` of each node's tree. */
  treeOf: number[];
  /** The trees, ordered by root index. */
  trees: TreeSummary[];
}

/**
 * Decompose a forest given by parent indices.
 *
 * @param parentIds - `parentIds[i]` is the index of node i's parent, or any
 *   negative number (conventionally −1) when node i is a root. Parents may
 *   come before or after their children. O(n).
 * @throws RangeError when a parent index is not an integer in [0, n) or the
 *   pointers contain a cycle (malformed input is a caller bug).
 */
export function treeStats(parentIds: ArrayLike<number>): ForestStats {
  const n = parentIds.length;
  for (let i = 0; i < n; i++) {
    const p = parentIds[i];
    if (!(p < 0) && !(Number.isInteger(p) && p < n)) {
      throw new RangeError(`parentIds[${i}] = ${p} is not a node index or a negative root marker`);
    }
  }
  const UNKNOWN = -1;
  const VISITING = -2;
  const level = new Array<number>(n).fill(UNKNOWN);
  const rootOf = new Array<number>(n).fill(-1);
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = i;
    while (level[v] === UNKNOWN && !(parentIds[v] < 0)) {
      level[v] = VISITING;
      path.push(v);
      v = parentIds[v];
    }
    if (level[v] === VISITING) throw new RangeError(`parentIds contain a cycle through node ${v}`);
    if (level[v] === UNKNOWN) {
      level[v] = 0; // a root
      rootOf[v] = v;
    }
    for (let j = path.length - 1; j >= 0; j--) {
      const u = path[j];
      const p = parentIds[u];
      level[u] = level[p] + 1;
      rootOf[u] = rootOf[p];
    }
    path.length = 0;
  }
  const treeIndexOfRoot = new Map<number, number>();
  const trees: TreeSummary[] = [];
  for (let i = 0; i < n; i++) {
    if (rootOf[i] === i) {
      treeIndexOfRoot.set(i, trees.length);
      trees.push({ root: i, size: 0, depth: 0 });
    }
  }
  const treeOf = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t = treeIndexOfRoot.get(rootOf[i]) as number;
    treeOf[i] = t;
    trees[t].size++;
    trees[t].depth = Math.max(trees[t].depth, level[i] + 1);
  }
  return { rootOf, level, treeOf, trees };
}
