/**
 * Document links: the path of each `include` that resolved to a file opens that file.
 */
import type { DocumentLink } from 'vscode-languageserver-types';
import type { Model } from '../model';

export function documentLinks(model: Model): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const inc of model.includes) {
    if (!inc.resolved.length) continue;
    const target = inc.resolved[0].uri;
    const n = inc.resolved.length;
    const tooltip =
      n > 1 ? `Open ${fileName(target)} (the first of ${n} files this include matches)` : `Open ${fileName(target)}`;
    out.push({ range: model.range(inc.span), target, tooltip });
  }
  return out;
}

function fileName(uri: string): string {
  const i = uri.lastIndexOf('/');
  let name = i >= 0 ? uri.slice(i + 1) : uri;
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep it encoded
  }
  return name || uri;
}
