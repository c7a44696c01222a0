/**
 * A strict JSON validator (RFC 8259, as JSON.parse applies it) that says where the first error
 * is. It runs only after JSON.parse has failed, when V8's message does not carry a position,
 * so it checks every character rather than being fast.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const LITERALS = ['true', 'false', 'null'] as const;
/** Characters allowed after a backslash, besides `u`: " \\ / b f n r t. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Thrown inside the validator only; `offset` is where the problem was seen. */
class SyntaxErrorAt extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super(`JSON syntax error at offset ${offset}`);
    this.offset = offset;
  }
}

/** Objects and arrays use an explicit stack, so deep nesting cannot overflow. */
class JsonValidator {
  readonly #text: string;
  #i = 0;

  constructor(text: string) {
    this.#text = text;
  }

  firstError(): number | undefined {
    try {
      this.#validate();
      return undefined;
    } catch (error) {
      if (error instanceof SyntaxErrorAt) return error.offset;
      throw error;
    }
  }

  #validate(): void {
    const text = this.#text;
    /** Per open container: is it an array, and how many members it has so far. */
    const stack: { isArray: boolean; count: number }[] = [];
    this.#skipWhitespace();
    this.#value(stack);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      this.#skipWhitespace();
      const c = text.charCodeAt(this.#i);
      if (c === (frame.isArray ? CLOSE_BRACKET : CLOSE_BRACE)) {
        this.#i++;
        stack.pop();
        continue;
      }
      if (frame.count > 0) {
        if (c !== COMMA) this.#fail();
        this.#i++;
        this.#skipWhitespace();
      }
      frame.count++;
      if (!frame.isArray) {
        if (text.charCodeAt(this.#i) !== QUOTE) this.#fail();
        this.#string();
        this.#skipWhitespace();
        if (text.charCodeAt(this.#i) !== 0x3a) this.#fail();
        this.#i++;
        this.#skipWhitespace();
      }
      this.#value(stack);
    }
    this.#skipWhitespace();
    if (this.#i < text.length) this.#fail();
  }

  /** One value; objects and arrays push a frame instead of recursing. */
  #value(stack: { isArray: boolean; count: number }[]): void {
    const c = this.#text.charCodeAt(this.#i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.#i++;
      stack.push({ isArray: c === OPEN_BRACKET, count: 0 });
    } else if (c === QUOTE) {
      this.#string();
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = this.#i;
      if (!NUMBER.test(this.#text)) this.#fail();
      this.#i = NUMBER.lastIndex;
    } else {
      this.#literal();
    }
  }

  #string(): void {
    const text = this.#text;
    let i = this.#i + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const next = text.charCodeAt(i + 1);
        if (next === 0x75) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) this.#fail(i);
          i += 6;
        } else if (SIMPLE_ESCAPES.has(next)) {
          i += 2;
        } else {
          this.#fail(i);
        }
        continue;
      }
      // NaN is the end of the text: an unterminated string.
      if (c < 0x20 || Number.isNaN(c)) this.#fail(i);
      i++;
    }
    this.#i = i + 1;
  }

  /** `true`, `false` or `null`; a wrong letter fails at that letter, as JSON.parse does. */
  #literal(): void {
    const text = this.#text;
    const word = LITERALS.find((literal) => literal.charCodeAt(0) === text.charCodeAt(this.#i));
    if (word === undefined) this.#fail();
    for (let k = 1; k < word.length; k++) {
      if (text.charCodeAt(this.#i + k) !== word.charCodeAt(k)) this.#fail(this.#i + k);
    }
    this.#i += word.length;
  }

  #skipWhitespace(): void {
    const text = this.#text;
    for (;;) {
      const c = text.charCodeAt(this.#i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.#i++;
    }
  }

  #fail(offset = this.#i): never {
    throw new SyntaxErrorAt(offset);
  }
}

/** Offset of the first syntax error in `text`, or undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): number | undefined {
  return new JsonValidator(text).firstError();
}

