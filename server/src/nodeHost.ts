/**
 * File access for `include` directives on Node (used by the server and the CLI, never by the
 * pure service). PowerMTA configs name absolute paths (`include /etc/pmta/conf.d/*.conf`); a
 * checkout rarely lives there, so a path that does not exist is also looked for relative to the
 * including file: the longest trailing part of the path that exists below the including file's
 * folder or its parents wins (so `/etc/pmta/conf.d/x.conf` finds `./conf.d/x.conf`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { IncludeHost } from './model';

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|\\]/g, (c) => '\\' + c).replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp('^' + re + '$');
}

function expand(p: string): string[] {
  if (!/[*?]/.test(p)) {
    try {
      return fs.statSync(p).isFile() ? [p] : [];
    } catch {
      return [];
    }
  }
  const dir = path.dirname(p);
  if (/[*?]/.test(dir)) return expand(dir).flatMap((d) => expand(path.join(d, path.basename(p))));
  try {
    const re = globToRegExp(path.basename(p));
    return fs
      .readdirSync(dir)
      .filter((n) => re.test(n))
      .sort()
      .map((n) => path.join(dir, n))
      .filter((f) => {
        try {
          return fs.statSync(f).isFile();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

export const nodeIncludeHost: IncludeHost = {
  resolveInclude(fromUri: string, includePath: string): string[] {
    const from = toPath(fromUri);
    const candidates: string[] = [];
    if (path.isAbsolute(includePath)) candidates.push(includePath);
    if (from) {
      const base = path.dirname(from);
      if (!path.isAbsolute(includePath)) candidates.push(path.resolve(base, includePath));
      const parts = includePath.split(/[\\/]+/).filter(Boolean);
      // trailing parts, longest first, below the including folder and up to 3 parents
      for (let up = 0, dir = base; up < 4; up++, dir = path.dirname(dir)) {
        for (let k = Math.min(parts.length, 4); k >= 1; k--) candidates.push(path.join(dir, ...parts.slice(parts.length - k)));
      }
    }
    for (const c of candidates) {
      const files = expand(c);
      if (files.length) return files.filter((f) => f !== from).map((f) => pathToFileURL(f).toString());
    }
    return [];
  },
  readFile(uri: string): string | undefined {
    const p = toPath(uri);
    if (!p) return undefined;
    try {
      const st = fs.statSync(p);
      if (!st.isFile() || st.size > 16 * 1024 * 1024) return undefined;
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
};
