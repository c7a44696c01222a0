/**
 * Where a JSON text goes wrong. V8 names a position for some syntax errors only: for an
 * unexpected token it prints a snippet of the file instead ("Unexpected token '/', "// …" is not
 * valid JSON"), which is exactly the comment-in-config mistake users make most. This scanner
 * follows RFC 8259 and returns the offset of the first character that cannot continue a valid
 * document (the text's length when it ends too early), or undefined when the text is valid.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
  };
  const expectWord = (word: string): boolean => {
    for (const char of word) {
      if (text[at] !== char) return false;
      at++;
    }
    return true;
  };
  const string = (): boolean => {
    at++; // the opening quote
    for (;;) {
      const char = text[at];
      if (char === undefined || char < ' ') return false;
      at++;
      if (char === '"') return true;
      if (char !== '\\') continue;
      if (text[at] === 'u') {
        at++;
        for (let i = 0; i < 4; i++, at++) if (!/[0-9a-fA-F]/.test(text.charAt(at))) return false;
      } else if (text[at] !== undefined && '"\\/bfnrt'.includes(text.charAt(at))) {
        at++;
      } else {
        return false;
      }
    }
  };
  const digits = (): boolean => {
    const start = at;
    while (text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
    return at > start;
  };
  // Step by step rather than one regex, so "1." and "-" fail where V8 says: at the missing digit.
  const number = (): boolean => {
    if (text[at] === '-') at++;
    if (text[at] === '0') at++;
    else if (!digits()) return false;
    if (text[at] === '.') {
      at++;
      if (!digits()) return false;
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++;
      if (text[at] === '+' || text[at] === '-') at++;
      if (!digits()) return false;
    }
    return true;
  };
  const sequence = (close: string, item: () => boolean): boolean => {
    at++; // the opening bracket
    skipSpace();
    if (text[at] === close) {
      at++;
      return true;
    }
    for (;;) {
      skipSpace();
      if (!item()) return false;
      skipSpace();
      if (text[at] === close) {
        at++;
        return true;
      }
      if (text[at] !== ',') return false;
      at++;
    }
  };
  const member = (): boolean => {
    if (text[at] !== '"' || !string()) return false;
    skipSpace();
    if (text[at] !== ':') return false;
    at++;
    return value();
  };
  const value = (): boolean => {
    skipSpace();
    const char = text.charAt(at);
    if (char === '{') return sequence('}', member);
    if (char === '[') return sequence(']', value);
    if (char === '"') return string();
    if (char === 't') return expectWord('true');
    if (char === 'f') return expectWord('false');
    if (char === 'n') return expectWord('null');
    return number();
  };
  try {
    if (!value()) return at;
  } catch {
    // Nesting deep enough to overflow the stack: the caller then reports no position.
    return undefined;
  }
  skipSpace();
  return at < text.length ? at : undefined;
}
