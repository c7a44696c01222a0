/**
 * Name arithmetic for look-alike detection: scopes, the forms names are compared in, and the
 * candidate-side rewrites ("strip a `-js` suffix") that undo a squatter's decoration.
 */

export interface ScopedName {
  /** Scope without "@", undefined for an unscoped name. */
  readonly scope: string | undefined;
  /** The name after the scope ("node" in "@types/node"), or the whole unscoped name. */
  readonly bare: string;
}

export function splitScope(name: string): ScopedName {
  if (!name.startsWith('@')) return { scope: undefined, bare: name };
  const slash = name.indexOf('/');
  if (slash < 0) return { scope: undefined, bare: name };
  return { scope: name.slice(1, slash), bare: name.slice(slash + 1) };
}

/**
 * The name as typed without punctuation: lower case, no "@", "/", "-", "_" or ".". Typos are
 * measured in this form, so `cross-env` and `crossenv` are the same word and `@types/node`
 * and `types-node` are too.
 */
export function flatten(name: string): string {
  // Most names are already flat: testing is cheaper than replacing, and this runs per protected name.
  return NOT_FLAT.test(name) ? name.toLowerCase().replace(PUNCTUATION, '') : name;
}

const PUNCTUATION = /[-_.@/]/g;
const NOT_FLAT = /[-_.@/A-Z]/;

/**
 * Characters that read alike in a terminal or a package.json: the multi-letter ones first, so
 * `rn` becomes `m` before `n` could be matched on its own.
 */
export const HOMOGLYPHS: readonly (readonly [lookalike: string, canonical: string])[] = [
  ['rn', 'm'],
  ['vv', 'w'],
  ['0', 'o'],
  ['1', 'l'],
  ['i', 'l'],
];

/** Two letters that read as one; single-character look-alikes are one substitution and found as typos. */
const MULTI_LETTER_HOMOGLYPHS = HOMOGLYPHS.filter(([lookalike]) => lookalike.length > 1);

/**
 * Both directions of each: `rnongoose` is `mongoose` with `rn` for `m`, `cornrnit` the reverse.
 * Each with its step, built once: the rewrites run for every unknown name of every lockfile.
 */
const HOMOGLYPH_REWRITES: readonly { readonly from: string; readonly to: string; readonly step: Step }[] = MULTI_LETTER_HOMOGLYPHS.flatMap(
  ([lookalike, canonical]) => [homoglyphRewrite(lookalike, canonical), homoglyphRewrite(canonical, lookalike)],
);

function homoglyphRewrite(from: string, to: string): { from: string; to: string; step: Step } {
  return { from, to, step: { kind: 'homoglyph', text: `look-alike characters (\`${from}\` for \`${to}\`)` } };
}

/** Single characters that are homoglyphs of each other (substitutions that are not typos). */
export function isHomoglyphPair(a: string, b: string): boolean {
  const fold = (c: string): string => (c === '0' ? 'o' : c === '1' || c === 'i' ? 'l' : c);
  return a !== b && fold(a) === fold(b);
}

/** One rewrite applied to a candidate name, described for the finding's message. */
export interface Step {
  readonly kind: StepKind;
  /** Human description, e.g. "suffix `.js` added". */
  readonly text: string;
}

export type StepKind =
  | 'affix-added'
  | 'affix-removed'
  | 'version-suffix'
  | 'plural'
  | 'singular'
  | 'separator'
  | 'homoglyph'
  | 'typo'
  | 'scope-dropped'
  | 'scope-flattened'
  | 'scope-moved'
  | 'scope-lookalike'
  | 'scope-lookalike-other'
  | 'scope-from-name';

/** A rewritten candidate and the steps that produced it. */
export interface Variant {
  readonly name: string;
  readonly steps: readonly Step[];
}

/**
 * Decorations squatters add to a popular name (TypoGard's list plus the Node-specific ones seen
 * in real incidents: `nodefabric`, `mysqljs`, `nodemailer.js` in 2017, `twilio-npm` in 2020). `minBase` keeps a bare `js`
 * or `node` glued to a short word from turning every short name into a "decorated" one.
 */
const PREFIXES: readonly Affix[] = [
  prefix('nodejs-', 2),
  prefix('node-', 2),
  prefix('node_', 2),
  prefix('node.', 2),
  prefix('js-', 2),
  prefix('node', 4),
];
const SUFFIXES: readonly Affix[] = [
  suffix('-nodejs', 2),
  // The ecosystem's own name, as in twilio-npm (2020).
  suffix('-npm', 2),
  suffix('-node', 2),
  suffix('.node', 2),
  suffix('-js', 2),
  suffix('.js', 2),
  suffix('_js', 2),
  suffix('js', 3),
];

/** An affix with the step that undoes it, built once (steps are shared, never changed). */
interface Affix {
  readonly affix: string;
  readonly minBase: number;
  readonly step: Step;
}

function prefix(affix: string, minBase: number): Affix {
  return { affix, minBase, step: { kind: 'affix-added', text: `prefix \`${affix}\` added` } };
}

function suffix(affix: string, minBase: number): Affix {
  return { affix, minBase, step: { kind: 'affix-added', text: `suffix \`${affix}\` added` } };
}

/** A candidate with one decoration undone, and the step that names it. */
export interface Rewrite {
  readonly base: string;
  readonly step: Step;
}

/** The name with one known affix removed, for every affix it carries. */
export function strippedAffixes(name: string): Rewrite[] {
  const out: Rewrite[] = [];
  // Every affix contains one of these; most names contain none (this runs for every rewrite).
  if (!AFFIX_HINT.test(name)) return out;
  // Indexed loops: an iterator, or a destructured element, per affix shows in cold profiles.
  for (let i = 0; i < PREFIXES.length; i++) {
    const { affix, minBase, step } = PREFIXES[i] as Affix;
    // `node-x` is the `node-` prefix; the bare `node` prefix must not leave a separator behind.
    if (name.startsWith(affix) && name.length - affix.length >= minBase && !isSeparator(name.charCodeAt(affix.length))) {
      out.push({ base: name.slice(affix.length), step });
    }
  }
  for (let i = 0; i < SUFFIXES.length; i++) {
    const { affix, minBase, step } = SUFFIXES[i] as Affix;
    const baseLength = name.length - affix.length;
    if (name.endsWith(affix) && baseLength >= minBase && !isSeparator(name.charCodeAt(baseLength - 1))) {
      out.push({ base: name.slice(0, baseLength), step });
    }
  }
  return out;
}

/** Only names containing one of these can carry an affix of PREFIXES or SUFFIXES. */
export const AFFIX_HINT = /js|node|npm/;

/** '-', '_' or '.'. */
function isSeparator(code: number): boolean {
  return code === 45 || code === 95 || code === 46;
}

/** `lodash4`, `chalk-v2`, `react_18` → the name without its version-like tail. */
const VERSION_SUFFIX = /^(.*?[a-z])[-_.]?(v?\d{1,2})$/;

/**
 * Candidate-side rewrites, at most `depth` deep: the candidate itself, then each affix,
 * version suffix and plural undone. Two steps cover `passports-js` (suffix, then plural).
 */
export function variantsOf(name: string, depth = 2): Variant[] {
  // Breadth first; `out` is also the set of names already reached (a handful: a Set costs more).
  const out: Variant[] = [{ name, steps: NO_STEPS }];
  let start = 0;
  for (let level = 0; level < depth; level++) {
    const end = out.length;
    for (let i = start; i < end; i++) {
      const variant = out[i] as Variant;
      const rewrites = rewritesOf(variant.name);
      // Indexed loops, no callbacks: this runs for every name the popular list does not hold.
      for (let r = 0; r < rewrites.length; r++) {
        const rewrite = rewrites[r] as Rewrite;
        if (rewrite.base.length < 2 || reached(out, rewrite.base)) continue;
        out.push({ name: rewrite.base, steps: variant.steps.length === 0 ? [rewrite.step] : [...variant.steps, rewrite.step] });
      }
    }
    start = end;
  }
  return out;
}

const NO_STEPS: readonly Step[] = Object.freeze([]);

function reached(variants: readonly Variant[], name: string): boolean {
  for (let i = 0; i < variants.length; i++) if ((variants[i] as Variant).name === name) return true;
  return false;
}

const PLURAL: Step = { kind: 'plural', text: 'plural `s` added' };
const SINGULAR: Step = { kind: 'singular', text: 'trailing `s` removed' };

function rewritesOf(name: string): Rewrite[] {
  const out = strippedAffixes(name);
  // Only a name ending in a digit can carry a version suffix: skip the regular expression otherwise.
  const last = name.charCodeAt(name.length - 1);
  const version = last >= 48 && last <= 57 ? VERSION_SUFFIX.exec(name) : null;
  if (version?.[1] && version[2] && version[1].length >= 3) {
    out.push({ base: version[1], step: { kind: 'version-suffix', text: `version suffix \`${version[2]}\` added` } });
  }
  if (name.length >= 4 && name.endsWith('s') && !name.endsWith('ss') && !name.endsWith('js')) {
    out.push({ base: name.slice(0, -1), step: PLURAL });
  }
  if (name.length >= 3 && last >= 97 && last <= 122 && last !== 115) {
    out.push({ base: `${name}s`, step: SINGULAR });
  }
  for (let i = 0; i < HOMOGLYPH_REWRITES.length; i++) {
    const { from, to, step } = HOMOGLYPH_REWRITES[i] as (typeof HOMOGLYPH_REWRITES)[number];
    for (let at = name.indexOf(from); at >= 0; at = name.indexOf(from, at + 1)) {
      out.push({ base: name.slice(0, at) + to + name.slice(at + from.length), step });
    }
  }
  return out;
}
