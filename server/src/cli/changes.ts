/**
 * What `pmta-lint --fix` changed in a file, line by line, as it prints it: each changed line as
 * `file:line: before → after`, each inserted line as `file:line: + text`, each removed one as
 * `file:line: - text`. Changed and inserted lines are numbered as in the file written, removed ones as
 * in the file before (where they were), as a diff numbers them. Worked out from the texts before and
 * after (a line diff), so that it shows exactly what was written, whichever fixes made it. Pure.
 */

/** Longer lines are cut in the report (a value can be a megabyte long). */
const MAX_SHOWN = 200;

/**
 * Past this many inserted and removed lines between the unchanged lines at both ends, the lines are not
 * matched one by one (the diff's time and memory grow with its square): the part is reported as a whole.
 */
const MAX_EDITS = 1000;

/** The lines of `file` that differ between `before` and `after`, as report lines. */
export function describeChanges(file: string, before: string, after: string): string[] {
  const a = lines(before);
  const b = lines(after);
  // the unchanged lines at both ends first: most fixes change a few lines of a long file
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  // matched by their text: a line whose end alone changed is the same line, changed
  const pairs = matchLines(midA.map(content), midB.map(content));
  const out: string[] = [];
  if (!pairs) {
    out.push(
      `${file}:${head + 1}: lines ${head + 1}-${head + midA.length} replaced by ${midB.length} lines (too many changes to show one by one)`,
    );
    return out;
  }
  // the runs between matched lines are the hunks
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [midA.length, midB.length] as [number, number]]) {
    hunk(out, file, midA.slice(i, pi), midB.slice(j, pj), head + i, head + j);
    if (pi < midA.length && midA[pi] !== midB[pj]) out.push(`${file}:${head + pj + 1}: ${changed(midA[pi], midB[pj])}`);
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

/** The report lines of one hunk: `removed` (from line `fromA` before) became `inserted` (from `fromB` after). */
function hunk(out: string[], file: string, removed: string[], inserted: string[], fromA: number, fromB: number): void {
  const paired = Math.min(removed.length, inserted.length);
  for (let k = 0; k < paired; k++) out.push(`${file}:${fromB + k + 1}: ${changed(removed[k], inserted[k])}`);
  for (let k = paired; k < removed.length; k++) out.push(`${file}:${fromA + k + 1}: -${spaced(shown(removed[k]))}`);
  for (let k = paired; k < inserted.length; k++) out.push(`${file}:${fromB + k + 1}: +${spaced(shown(inserted[k]))}`);
}

/** A line after its mark, one space between them (none after the mark of an empty line). */
function spaced(line: string): string {
  return line ? ' ' + line : '';
}

/**
 * `before → after`, without the indentation; when only the indentation changed, both quoted; when only
 * the line end changed, both quoted with it.
 */
function changed(before: string, after: string): string {
  const b = before.trim();
  const a = after.trim();
  if (b !== a) return `${shown(b)} → ${shown(a)}`;
  if (shown(before) !== shown(after)) return `${JSON.stringify(shown(before))} → ${JSON.stringify(shown(after))}`;
  return `${JSON.stringify(before)} → ${JSON.stringify(after)}`;
}

function shown(line: string): string {
  const l = line.trimEnd();
  return l.length > MAX_SHOWN ? l.slice(0, MAX_SHOWN - 1) + '…' : l;
}

/** A line without its end. */
function content(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}

/** The lines of a text with their ends (\r\n, \n or \r: a change of line end is a change); a last line end starts no line. */
function lines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}

/**
 * The pairs of equal lines (index in `a`, index in `b`) of a shortest edit script from `a` to `b`
 * (Myers' algorithm, keeping for each number of edits d only the 2d+3 furthest points it needs to trace
 * the script back), in order; undefined when it takes more than {@link MAX_EDITS} edits.
 */
function matchLines(a: readonly string[], b: readonly string[]): Array<[number, number]> | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let end = -1;
  for (let d = 0; d <= max && end < 0; d++) {
    // the furthest points after d - 1 edits, for k from -d-1 to d+1
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        end = d;
        break;
      }
    }
  }
  if (end < 0) return undefined;
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = end; d >= 0; d--) {
    const w = trace[d];
    const at = (k: number) => w[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) pairs.push([--x, --y]);
    if (d > 0) {
      x = prevX;
      y = prevY;
    }
  }
  return pairs.reverse();
}
