/**
 * The server's work-done progress of a delivery report (begin, report, end with a percentage and a
 * message), turned into what VS Code's progress notification takes: increments that add up to the
 * percentage and never go back. Pure, for tests.
 */

/** One $/progress value of the server, as LSP defines it. */
export interface WorkDoneValue {
  kind: 'begin' | 'report' | 'end';
  message?: string;
  percentage?: number;
}

export class ProgressSteps {
  private done = 0;

  /** What to report for the server's value; undefined at the end (the notification then closes). */
  next(v: WorkDoneValue): { message?: string; increment: number } | undefined {
    if (v.kind === 'end') return undefined;
    const pct = Math.min(
      100,
      typeof v.percentage === 'number' && Number.isFinite(v.percentage) ? v.percentage : this.done,
    );
    const increment = Math.max(0, pct - this.done);
    this.done = Math.max(this.done, pct);
    return { message: v.message, increment };
  }
}
