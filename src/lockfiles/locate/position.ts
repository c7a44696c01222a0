/** 1-based position in a text; the column counts UTF-16 code units (SARIF's default unit). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * Position of a character offset. `\n`, `\r\n` and a lone `\r` each end a line, as in editors
 * and as in JavaScript's own line terminators.
 */
export function positionAt(text: string, offset: number): TextPosition {
  const end = Math.min(Math.max(offset, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE || (c === RETURN && text.charCodeAt(i + 1) !== NEWLINE)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
