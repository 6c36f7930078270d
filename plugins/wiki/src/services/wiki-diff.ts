import { structuredPatch } from 'diff';

/** One hunk of a line diff, as `diff`'s structuredPatch makes it: lines start with ` `, `-` or `+`. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** One row of a side-by-side view: the old line on the left, the new one on the right. */
export interface SideBySideRow {
  kind: 'context' | 'changed' | 'removed' | 'added' | 'gap';
  left: { number: number; text: string } | null;
  right: { number: number; text: string } | null;
}

/** Context lines around each change. */
const CONTEXT = 3;
/** Past this many edits (or this long), the diff gives up and shows one whole replacement. */
const MAX_EDIT_LENGTH = 20_000;
const TIMEOUT_MS = 1500;

const withNewline = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
const linesOf = (text: string) => (text === '' ? [] : withNewline(text).slice(0, -1).split('\n'));

/**
 * The line hunks between two texts. A trailing newline is normalised so a missing final newline
 * is not reported as a change. Pathological inputs (two unrelated 200 kB texts) are bounded: the
 * diff stops after {@link MAX_EDIT_LENGTH} edits and answers one hunk replacing everything.
 */
export function lineHunks(from: string, to: string): DiffHunk[] {
  const a = withNewline(from.replace(/\r\n/g, '\n'));
  const b = withNewline(to.replace(/\r\n/g, '\n'));
  if (a === b) return [];
  const patch = structuredPatch('from', 'to', a, b, undefined, undefined, {
    context: CONTEXT,
    maxEditLength: MAX_EDIT_LENGTH,
    timeout: TIMEOUT_MS,
  });
  if (patch) {
    return patch.hunks.map((h) => ({
      oldStart: h.oldStart,
      oldLines: h.oldLines,
      newStart: h.newStart,
      newLines: h.newLines,
      // structuredPatch marks a missing final newline with a `\` line; the texts were normalised.
      lines: h.lines.filter((l) => !l.startsWith('\\')),
    }));
  }
  const oldLines = linesOf(a);
  const newLines = linesOf(b);
  return [
    {
      oldStart: 1,
      oldLines: oldLines.length,
      newStart: 1,
      newLines: newLines.length,
      lines: [...oldLines.map((l) => `-${l}`), ...newLines.map((l) => `+${l}`)],
    },
  ];
}

/**
 * Side-by-side rows from hunks: removed and added runs are paired line by line (`changed`),
 * the rest of a run stands alone; a `gap` row separates hunks.
 */
export function sideBySide(hunks: DiffHunk[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  hunks.forEach((hunk, index) => {
    if (index > 0 || hunk.oldStart > 1 || hunk.newStart > 1) rows.push({ kind: 'gap', left: null, right: null });
    let oldNo = hunk.oldStart;
    let newNo = hunk.newStart;
    let removed: string[] = [];
    let added: string[] = [];
    const flush = () => {
      const pairs = Math.max(removed.length, added.length);
      for (let i = 0; i < pairs; i++) {
        const left = i < removed.length ? { number: oldNo++, text: removed[i] } : null;
        const right = i < added.length ? { number: newNo++, text: added[i] } : null;
        rows.push({ kind: left && right ? 'changed' : left ? 'removed' : 'added', left, right });
      }
      removed = [];
      added = [];
    };
    for (const line of hunk.lines) {
      const mark = line[0];
      const text = line.slice(1);
      if (mark === '-') removed.push(text);
      else if (mark === '+') added.push(text);
      else {
        flush();
        rows.push({ kind: 'context', left: { number: oldNo++, text }, right: { number: newNo++, text } });
      }
    }
    flush();
  });
  return rows;
}
