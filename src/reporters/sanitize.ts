/**
 * Terminal safety for strings that came out of a lockfile. Package names, versions and URLs are
 * attacker-controlled: an ESC can recolour or rewrite the screen, a bidi override can make
 * `evil` read as `live`, a zero-width space can make two names look identical. Such characters
 * are made visible as escapes (`\x1b`, `\u202e`), never stripped: silently dropping them would
 * hide exactly the evidence a reviewer needs.
 */

/**
 * Everything a terminal may interpret or hide beyond the C0 range: DEL, C1 controls (0x9b is a
 * one-byte CSI), the soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width and
 * directional marks, line/paragraph separators, bidi embeddings/overrides/isolates, invisible
 * operators, the BOM, Unicode tag characters ("ASCII smuggling") and lone surrogates (with the
 * `u` flag a lone half is its own code point).
 */
const INVISIBLE_OR_CONTROL =
  '\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\u{e0000}-\\u{e007f}\\ud800-\\udfff';
/** Plus all C0 controls (ESC, and CR/LF/TAB too: findings are single-line). */
const UNSAFE = new RegExp(`[\\u0000-\\u001f${INVISIBLE_OR_CONTROL}]`, 'gu');
/** JSON.stringify escapes C0 inside strings itself, and C0 outside strings is the layout. */
const UNSAFE_IN_JSON = new RegExp(`[${INVISIBLE_OR_CONTROL}]`, 'gu');

function escapeCodePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** Returns `text` with every control, invisible or direction-changing character shown as an escape. */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, escapeCodePoint);
}

/**
 * For serialised JSON (and SARIF): the same characters, written as JSON `\uXXXX` escapes. The
 * parsed value is unchanged, but `cat report.json` in a terminal can no longer be hijacked.
 * Safe on a whole document because these characters can only occur inside string literals.
 */
export function escapeJsonUnsafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => {
    let escaped = '';
    for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
