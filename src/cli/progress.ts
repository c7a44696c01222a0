/**
 * The progress line on stderr while an audit runs: which check, on which lockfile, for how
 * long. Network phases (a cold registry cross-check, a tarball download) can take many seconds,
 * and silence for that long reads as a hang.
 *
 * Only on a terminal (a CI log would keep every redraw), never with --quiet, and only once the
 * audit has run for `delayMs`: a fast offline audit never draws it. The line is erased before
 * anything else is written to stderr and when the audit ends, so it never mixes with output.
 */
import type { CheckStartEvent } from '../core/engine.ts';
import { sanitize } from '../reporters/sanitize.ts';

export interface ProgressLine {
  readonly checkStarted: (event: CheckStartEvent) => void;
  /** Erases the line (if drawn) so another stderr write starts on a clean line. */
  readonly clear: () => void;
  /** Erases the line and stops redrawing. */
  readonly stop: () => void;
}

export interface ProgressOptions {
  readonly enabled: boolean;
  /** Nothing is drawn before the audit has run this long. */
  readonly delayMs?: number | undefined;
  readonly redrawMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

const ERASE_LINE = '\r\u001b[2K';
const DISABLED: ProgressLine = { checkStarted: () => {}, clear: () => {}, stop: () => {} };

export function createProgressLine(stream: { write(chunk: string): unknown }, options: ProgressOptions): ProgressLine {
  if (!options.enabled) return DISABLED;
  const now = options.now ?? Date.now;
  const startedAt = now();
  let current: (CheckStartEvent & { readonly since: number }) | undefined;
  let drawn = false;

  const draw = (): void => {
    if (current === undefined || now() - startedAt < (options.delayMs ?? 1000)) return;
    const seconds = ((now() - current.since) / 1000).toFixed(1);
    const where = current.steps > 1 ? ` [${current.step}/${current.steps}]` : '';
    // Names come from the lockfile path and check ids; sanitized like every other line we print.
    stream.write(`${ERASE_LINE}pkgguard: ${sanitize(current.checkId)} on ${sanitize(current.lockfile)}${where} ${seconds} s`);
    drawn = true;
  };
  const clear = (): void => {
    if (!drawn) return;
    stream.write(ERASE_LINE);
    drawn = false;
  };
  // unref: the timer alone never keeps the process alive.
  const timer = setInterval(draw, options.redrawMs ?? 200);
  timer.unref();

  return {
    checkStarted(event) {
      current = { ...event, since: now() };
      draw();
    },
    clear,
    stop() {
      clearInterval(timer);
      clear();
      current = undefined;
    },
  };
}
