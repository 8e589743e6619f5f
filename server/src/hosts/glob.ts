/**
 * Include paths with wildcards, as PowerMTA expands them (glob(3)): in a file or folder name, `*` stands
 * for any run of characters, `?` for one, `[abc]` and `[a-c]` for one of a class, `[!a]` (or `[^a]`) for
 * one outside it; a `]` right after the opening `[` (or `[!`) is a member; a `[` without its `]` is
 * itself. No wildcard matches `/`. Used by both include hosts (nodeHost.ts, webHost.ts), so that they
 * find the same files. Pure.
 */

/** Whether a name has wildcards: `*`, `?`, or a `[` that opens a class. */
export function hasGlob(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '*' || c === '?') return true;
    if (c === '[' && classEnd(name, i) >= 0) return true;
  }
  return false;
}

/** A regular expression that matches a whole name against a glob (by code points: `?` is one character). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[' && classEnd(glob, i) >= 0) {
      const end = classEnd(glob, i);
      re += classToRegExp(glob.slice(i + 1, end));
      i = end;
    } else re += escape(c);
  }
  return new RegExp('^' + re + '$', 'u');
}

/** The index of the `]` that closes the class opened by the `[` at `start`, or -1 when there is none. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++;
  return glob.indexOf(']', i);
}

/** A class body (between `[` and `]`) as a regular expression class; a range written backwards matches nothing. */
function classToRegExp(body: string): string {
  const negated = body[0] === '!' || body[0] === '^';
  const chars = [...(negated ? body.slice(1) : body)];
  let members = '';
  for (let i = 0; i < chars.length; i++) {
    const from = chars[i];
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      const to = chars[i + 2];
      if (from <= to) members += escapeInClass(from) + '-' + escapeInClass(to);
      i += 2;
    } else members += escapeInClass(from);
  }
  if (negated) return '[^' + members + '/]';
  return members ? '[' + members + ']' : '(?!)';
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}

function escapeInClass(c: string): string {
  return /[\\\]^[-]/.test(c) ? '\\' + c : c;
}
