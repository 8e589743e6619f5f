/**
 * `file-too-large` (warning): a file larger than the size limit (`maxFileSizeKB`: pmta-lint's
 * `--max-file-size`, the editor's `pmta.maxFileSizeKB`, 10 MB by default) is not parsed, so no other rule
 * runs on it. This one says so, on the first character, rather than let the file pass as if it had been
 * checked; pmta-lint fails its run on it. It judges the text before any parse (checkText); the service
 * runs that stage alone on such a file. pmta-lint does not even read a file over the limit: it reports
 * the file with {@link tooLarge} and the size on disk.
 */
import type { ReportInput, Rule } from './types';
import { DEFAULT_SETTINGS, overSizeLimit, type Settings } from '../settings';

function limitKB(settings: Settings): number {
  return settings.maxFileSizeKB ?? DEFAULT_SETTINGS.maxFileSizeKB;
}

/** The finding of a file of `sizeKB` over a limit of `maxKB`. */
export function tooLarge(sizeKB: number, maxKB: number): ReportInput {
  return {
    span: { start: 0, end: 0 },
    message:
      `This file (${sizeKB} KB) is larger than the size limit of ${maxKB} KB, so it is not checked: no rule ran on it. ` +
      'Raise the limit to check it: --max-file-size with pmta-lint, the setting pmta.maxFileSizeKB in the editor.',
  };
}

function judge(text: string, settings: Settings, report: (input: ReportInput) => void): void {
  const max = limitKB(settings);
  if (overSizeLimit(text, max)) report(tooLarge(Math.ceil(text.length / 1024), max));
}

export const fileTooLargeRule: Rule = {
  id: 'file-too-large',
  defaultSeverity: 'warning',
  description:
    'A file larger than the size limit (--max-file-size, pmta.maxFileSizeKB; 10 MB by default): it is not checked at all, and pmta-lint fails.',
  checkText(ctx) {
    judge(ctx.text, ctx.settings, (f) => ctx.report(f));
  },
  // the service never parses a file over the limit; a caller that built its model anyway gets the same finding
  check(ctx) {
    judge(ctx.model.text, ctx.settings, (f) => ctx.report(f));
  },
};
