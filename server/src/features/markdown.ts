/** Markdown helpers shared by hovers, completion documentation and reply explanations. */
import { getDirective } from '../knowledge/catalog';

/**
 * Catalog text as Markdown: `<tag>` mentions and hyphenated directive names become code spans
 * (a client strips raw HTML-like tags from hovers otherwise). Existing code spans are kept.
 */
export function mdText(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      return part
        .replace(/<\/?[A-Za-z][\w.-]*(?:[ \t][^<>\n]*)?>/g, (m) => '`' + m + '`')
        .replace(/(^|[^\w`</-])([a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?![\w`>-])/g, (m, pre: string, name: string) =>
          getDirective(name) ? `${pre}\`${name}\`` : m,
        );
    })
    .join('');
}
