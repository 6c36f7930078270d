/**
 * Page numbers of a topic map to ranges of positions, so page n is read by the `(topic_id,
 * position)` index like page 1: no OFFSET. Positions are never reused, so a page may hold fewer
 * posts than its size when replies were deleted, split off or held.
 */
export interface PositionRange {
  /** Posts with a position greater than this… */
  after: number;
  /** …and at most this. */
  through: number;
}

/** The positions page `page` (1-based) shows, `size` positions a page. */
export function pageRange(page: number, size: number): PositionRange {
  return { after: (page - 1) * size, through: page * size };
}

/** The page that shows `position`. */
export function pageOf(position: number, size: number): number {
  return Math.max(1, Math.ceil(position / size));
}

/** How many pages a topic whose last handed-out position is `lastPosition` has. */
export function pageCount(lastPosition: number, size: number): number {
  return Math.max(1, Math.ceil(lastPosition / size));
}

/**
 * The page numbers to offer around `current`: the first, the last, and a window around the current
 * one, with `null` where numbers are left out (an ellipsis).
 */
export function pageLinks(current: number, total: number, around = 2): Array<number | null> {
  const wanted = new Set<number>([1, total]);
  for (let p = current - around; p <= current + around; p++) if (p >= 1 && p <= total) wanted.add(p);
  const sorted = [...wanted].sort((a, b) => a - b);
  const links: Array<number | null> = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1] > 1) links.push(null);
    links.push(p);
  });
  return links;
}
