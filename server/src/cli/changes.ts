/**
 * What `pmta-lint --fix` changed in a file, line by line, as it prints it: each line edited in place as
 * `file:line: before → after`, each inserted line as `file:line: + text`, each removed one as
 * `file:line: - text`. Every number is a line of the file written: a changed or inserted line is that
 * line, a removed line is numbered where it stood, by the line that now follows it (one past the last
 * line at the end). Worked out from the texts before and after, so that it shows exactly what was
 * written, whichever fixes made it: the lines are matched by a line diff, then, between matched lines,
 * a removed line and an inserted one are the same line edited only when they are alike (most of their
 * characters in common, in order), so that a removal next to an insertion is not shown as one line
 * turned into another. Pure.
 */

/** Longer lines are cut in the report (a value can be a megabyte long). */
const MAX_SHOWN = 200;

/**
 * Past this many inserted and removed lines between the unchanged lines at both ends, the lines are not
 * matched one by one (the diff's time and memory grow with its square): the part is reported as a whole.
 */
const MAX_EDITS = 1000;

/**
 * Past this many pairs of a removed and an inserted line between two matched lines, they are not compared
 * to find the lines edited in place (the time grows with the product): they are shown as removed and
 * inserted.
 */
const MAX_COMPARED_PAIRS = 2500;

/** Lines are compared on this many characters at most (the comparison's time grows with the square). */
const MAX_COMPARED_CHARS = 100;

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
      `${file}:${head + 1}: ${count(midA.length)} replaced by ${count(midB.length)} (too many changes to show one by one)`,
    );
    return out;
  }
  // the runs between matched lines are the hunks
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [midA.length, midB.length] as [number, number]]) {
    hunk(out, file, midA.slice(i, pi), midB.slice(j, pj), head + j);
    if (pi < midA.length && midA[pi] !== midB[pj]) out.push(`${file}:${head + pj + 1}: ${changed(midA[pi], midB[pj])}`);
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

function count(n: number): string {
  return `${n} line${n === 1 ? '' : 's'}`;
}

/**
 * The report lines of one hunk: `removed` became `inserted`, which starts at line `fromB` (0-based) of the
 * file written. The lines edited in place are shown as such, in order; the others as removed (numbered by
 * the line now after them) and inserted.
 */
function hunk(out: string[], file: string, removed: string[], inserted: string[], fromB: number): void {
  let k = 0;
  let l = 0;
  for (const [pk, pl] of [...editedInPlace(removed, inserted), [removed.length, inserted.length]]) {
    for (; k < pk; k++) out.push(`${file}:${fromB + l + 1}: -${spaced(shown(removed[k]))}`);
    for (; l < pl; l++) out.push(`${file}:${fromB + l + 1}: +${spaced(shown(inserted[l]))}`);
    if (k < removed.length) out.push(`${file}:${fromB + l + 1}: ${changed(removed[k++], inserted[l++])}`);
  }
}

/**
 * The pairs (index in `removed`, index in `inserted`) of lines that are the same line edited, in order:
 * of the pairings that keep the order, the one whose paired lines are most alike (by {@link alike}).
 * None past {@link MAX_COMPARED_PAIRS} pairs to compare.
 */
function editedInPlace(removed: readonly string[], inserted: readonly string[]): Array<[number, number]> {
  const n = removed.length;
  const m = inserted.length;
  if (n === 0 || m === 0 || n * m > MAX_COMPARED_PAIRS) return [];
  // best[x * (m + 1) + y]: the best total of the first x removed and the first y inserted lines
  const w = m + 1;
  const best = new Float64Array((n + 1) * w);
  const score = new Float64Array(n * m);
  for (let x = 1; x <= n; x++)
    for (let y = 1; y <= m; y++) {
      const s = (score[(x - 1) * m + y - 1] = alike(removed[x - 1], inserted[y - 1]));
      best[x * w + y] = Math.max(best[(x - 1) * w + y], best[x * w + y - 1], s > 0 ? best[(x - 1) * w + y - 1] + s : 0);
    }
  const pairs: Array<[number, number]> = [];
  for (let x = n, y = m; x > 0 && y > 0;) {
    const s = score[(x - 1) * m + y - 1];
    if (s > 0 && best[x * w + y] === best[(x - 1) * w + y - 1] + s) pairs.push([--x, --y]);
    else if (best[x * w + y] === best[(x - 1) * w + y]) x--;
    else y--;
  }
  return pairs.reverse();
}

/**
 * How much two lines look like the same line edited, above 0 when they do: the same text but for the
 * indentation or the line end, or the same kind of line (a directive, an opening tag, a closing tag, a
 * comment) with alike names (a directive renamed: `max-conn-rate` → `max-connect-rate`) or alike texts
 * (a value changed: `retry-after 5m` → `retry-after 20m`). 0 for a directive and another one next to it
 * (`mx-rollup outlook.com`, `dkim-sign yes`).
 */
function alike(before: string, after: string): number {
  const b = before.trim();
  const a = after.trim();
  if (b === a) return 2;
  if (kind(b) !== kind(a)) return 0;
  const lines = similarity(b, a);
  return lines >= 0.6 || similarity(firstWord(b), firstWord(a)) >= 0.75 ? lines : 0;
}

function kind(line: string): string {
  return line.startsWith('</') ? '</' : line.startsWith('<') ? '<' : line.startsWith('#') ? '#' : '';
}

function firstWord(line: string): string {
  return line.split(/\s/, 1)[0].toLowerCase();
}

/**
 * 2 × the length of the longest common subsequence of characters over the total length (0 to 1), of their
 * first {@link MAX_COMPARED_CHARS} characters.
 */
function similarity(x: string, y: string): number {
  const p = x.slice(0, MAX_COMPARED_CHARS);
  const q = y.slice(0, MAX_COMPARED_CHARS);
  if (!p.length && !q.length) return 1;
  let prev = new Uint16Array(q.length + 1);
  let cur = new Uint16Array(q.length + 1);
  for (let i = 0; i < p.length; i++) {
    for (let j = 0; j < q.length; j++)
      cur[j + 1] = p.charCodeAt(i) === q.charCodeAt(j) ? prev[j] + 1 : Math.max(prev[j + 1], cur[j]);
    [prev, cur] = [cur, prev];
  }
  return (2 * prev[q.length]) / (p.length + q.length);
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
