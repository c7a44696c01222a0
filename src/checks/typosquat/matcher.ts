/**
 * Finds the protected names a candidate imitates, and how: TypoGard-style rewrites (affixes,
 * version suffixes, plurals, two-letter homoglyphs) undone on the candidate, then exact
 * look-ups of the result, the same letters with other separators, scope moves, and one typo. The popularity gate is
 * the caller's business: this module answers "what does it look like", not "is it suspicious".
 */
import { describeEdit, isOneEdit } from './distance.ts';
import { flatten, splitScope, type Step, type StepKind, type Variant, variantsOf } from './names.ts';
import type { IndexedEntry, PopularIndex } from './popular-index.ts';

export interface Lookalike {
  readonly target: IndexedEntry;
  /** What turned the target into the candidate, in order. */
  readonly steps: readonly Step[];
}

export interface MatchScope {
  /** Consulted in order; protected names the user added come first. */
  readonly indexes: readonly PopularIndex[];
  /** Scopes with published packages of some popularity: moving a name into one is not suspicious. */
  readonly knownScopes: { has(scope: string): boolean };
}

/** Shortest flattened length at which one typo of any kind counts; at 4 only swaps and homoglyphs do. */
export const MIN_TYPO_LENGTH = 5;

/**
 * How far a rewrite moves a name from its target; the lightest explanation wins. A removed
 * separator changes nothing a reader sees; a typo or a scope move changes what they type.
 */
const WEIGHT: Readonly<Record<StepKind, number>> = {
  separator: 0.5,
  homoglyph: 1,
  'affix-added': 1,
  'affix-removed': 1.5,
  'version-suffix': 1,
  plural: 1,
  singular: 1.5,
  'scope-flattened': 1,
  'scope-dropped': 2,
  'scope-moved': 2,
  // More specific than a popular bare name moved into the scope, which it usually also is.
  'scope-lookalike': 1.5,
  // The look-alike scope has no package of the candidate's bare name: its best-known package
  // is only a guess, so a popular bare name moved into the scope explains it better.
  'scope-lookalike-other': 2.5,
  'scope-from-name': 2,
  typo: 2,
};

/** Every look-alike of `candidate`, best first (lightest rewrite, then most downloaded target). */
export function findLookalikes(candidate: string, scope: MatchScope): Lookalike[] {
  const name = candidate.toLowerCase();
  const found = new Map<IndexedEntry, Lookalike>();
  const add = (target: IndexedEntry, steps: readonly Step[]): void => {
    if (steps.length === 0 || target.name.toLowerCase() === name) return;
    const current = found.get(target);
    if (!current || rank({ target, steps }, current) < 0) found.set(target, { target, steps });
  };
  const parts = splitScope(name);
  const { indexes } = scope;
  if (parts.scope === undefined || scope.knownScopes.has(parts.scope)) {
    for (let i = 0; i < indexes.length; i++) matchInScope(name, parts.scope, parts.bare, indexes[i] as PopularIndex, add);
  } else {
    for (let i = 0; i < indexes.length; i++) matchUnknownScope(parts.scope, parts.bare, indexes[i] as PopularIndex, add);
  }
  if (found.size === 0) return [];
  return [...found.values()].sort(rank);
}

type Add = (target: IndexedEntry, steps: readonly Step[]) => void;

/** Unscoped names, and names in a scope we know: rewrite the bare part, keep the scope. */
function matchInScope(name: string, scope: string | undefined, bare: string, index: PopularIndex, add: Add): void {
  const variants = variantsOf(bare);
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[i] as Variant;
    // The first variant is the name itself: no need to build it again.
    const full = scope === undefined ? variant.name : i === 0 ? name : `@${scope}/${variant.name}`;
    matchForm(full, variant.steps, index, add);
  }
}

/**
 * A scope nobody publishes popular packages under: a popular name moved into it, a scope that
 * imitates a popular one (`@typess/node`), or a popular package's name used as the scope.
 */
function matchUnknownScope(scope: string, bare: string, index: PopularIndex, add: Add): void {
  // A short bare name (`@acme/cli`, `@acme/api`) is a word, not a borrowed identity.
  if (flatten(bare).length >= MIN_TYPO_LENGTH) {
    const moved: Step = { kind: 'scope-moved', text: `moved into the unknown scope \`@${scope}\`` };
    const variants = variantsOf(bare);
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[i] as Variant;
      if (variant.steps.every((step) => step.kind === 'affix-added' || step.kind === 'version-suffix')) {
        matchForm(variant.name, [moved, ...variant.steps], index, add);
      }
    }
  }

  const scopeFlat = flatten(scope);
  const limit = scopeFlat.length >= 8 ? 2 : scopeFlat.length >= MIN_TYPO_LENGTH ? 1 : 0;
  for (const popularScope of index.scopesNear(scopeFlat, limit)) {
    const text = `look-alike scope \`@${scope}\` (for \`@${popularScope.name}\`)`;
    const entries = popularScope.entries();
    const closest = closestInScope(bare, entries);
    if (closest) add(closest, [{ kind: 'scope-lookalike', text }]);
    else add(entries[0] as IndexedEntry, [{ kind: 'scope-lookalike-other', text }]);
  }
  const named = index.get(scope);
  if (named && !named.name.startsWith('@')) {
    add(named, [{ kind: 'scope-from-name', text: `the name of \`${named.name}\` used as a scope` }]);
  }
}

/** The package of a scope a look-alike scope most likely stands for: same bare name, then a prefix of it. */
function closestInScope(bare: string, entries: readonly IndexedEntry[]): IndexedEntry | undefined {
  const bareOf = (entry: IndexedEntry): string => splitScope(entry.name.toLowerCase()).bare;
  return (
    entries.find((entry) => bareOf(entry) === bare) ??
    entries.find((entry) => bareOf(entry).startsWith(bare) || bare.startsWith(bareOf(entry)))
  );
}

/** One rewritten form against the index: exact, same letters, scope moves, affixes, one typo. */
function matchForm(form: string, steps: readonly Step[], index: PopularIndex, add: Add): void {
  const exact = index.get(form);
  if (exact) add(exact, steps);
  const flat = flatten(form);
  if (steps.length === 0 && !form.startsWith('@') && flat.length >= MIN_TYPO_LENGTH) {
    const scoped = index.scopedByBare(form);
    if (scoped) add(scoped, [{ kind: 'scope-dropped', text: `scope \`@${splitScope(scoped.name).scope ?? ''}/\` dropped` }]);
  }
  const moved = hasStep(steps, 'scope-moved');
  const affixed = moved ? undefined : index.affixed(form);
  if (affixed) add(affixed.entry, [...steps, affixed.step]);
  // Plurals and two-letter homoglyphs are matched exactly: `slashes` is not `slash` plus a typo,
  // and searching the neighbours of every such rewrite would double the cost of a query.
  if (hasStep(steps, 'plural') || hasStep(steps, 'singular') || hasStep(steps, 'homoglyph')) return;
  // A typo is a slip in the name as written: not on top of another rewrite (`node-mbox` is not
  // `mobx`), except a scope move in a long, distinctive name (`@x/metemask-sdk` is
  // `@metamask/sdk`; `@scope/types` is not `type-is`).
  const typoAllowed = steps.length === 0 || (steps.length === 1 && moved && flat.length >= 8);
  matchNeighbours(form, flat, steps, typoAllowed, index, add);
}

/** Whether a step of this kind is among `steps` (a loop, not a callback per form). */
function hasStep(steps: readonly Step[], kind: StepKind): boolean {
  for (let i = 0; i < steps.length; i++) if ((steps[i] as Step).kind === kind) return true;
  return false;
}

/**
 * One typo, with the rules that separate slips from different words: long enough names only,
 * the first letter kept (legitimate neighbours such as murmurhash/imurmurhash differ there,
 * squats almost never do), no digit swapped for another character (json3/json5 are versions,
 * not typos), and no one-letter word added (`react-x` is a new name, not a slip).
 */
function matchNeighbours(
  form: string,
  flat: string,
  steps: readonly Step[],
  typoAllowed: boolean,
  index: PopularIndex,
  add: Add,
): void {
  index.visitNeighbours(flat, (target) => {
    if (target.flat === flat) {
      add(target, [...steps, ...normalisationSteps(form, target.name.toLowerCase())]);
      return;
    }
    if (!typoAllowed || !isOneEdit(flat, target.flat)) return;
    const edit = describeEdit(flat, target.flat);
    if (!isPlausibleTypo(flat, target.flat, edit, form, target.name.toLowerCase())) return;
    const normalisation = normalisationSteps(form, target.name.toLowerCase());
    // A typo and a moved separator are two edits (`to-ast` and `toastr`, `mk-dirs` and `mkdirp`).
    if (normalisation.some((step) => step.kind === 'separator')) return;
    add(target, [...steps, edit, ...normalisation]);
  });
}

function isPlausibleTypo(flat: string, targetFlat: string, edit: Step, form: string, target: string): boolean {
  if (edit.kind === 'homoglyph') return true;
  const swap = edit.text.startsWith('adjacent');
  if (Math.min(flat.length, targetFlat.length) < MIN_TYPO_LENGTH && !swap) return false;
  if (flat[0] !== targetFlat[0]) return false;
  let i = 0;
  while (flat[i] === targetFlat[i]) i++;
  if (flat.length === targetFlat.length && !swap) {
    // A substituted letter in a five-letter word makes another word (tryer/tryor); a digit
    // swapped for anything is a version (json3/json5).
    if (flat.length < MIN_TYPO_LENGTH + 1 || /\d/.test(`${flat[i] ?? ''}${targetFlat[i] ?? ''}`)) return false;
  }
  return oneLetterWords(form) === oneLetterWords(target);
}

/** How many separator-delimited words of one letter a name has ("x" in `react-x`). */
function oneLetterWords(name: string): number {
  return name.split(/[-_./@]/).filter((word) => word.length === 1).length;
}

/** How two names with the same letters differ: separators, or a scope turned into a prefix. */
function normalisationSteps(candidate: string, target: string): Step[] {
  const targetScope = splitScope(target).scope;
  return targetScope !== undefined && splitScope(candidate).scope === undefined
    ? [{ kind: 'scope-flattened', text: `scope \`@${targetScope}/\` written as part of the name` }]
    : separatorSteps(candidate, target);
}

function separatorSteps(candidate: string, target: string): Step[] {
  const mine = splitScope(candidate).bare.replace(/[^-_.]/g, '');
  const theirs = splitScope(target).bare.replace(/[^-_.]/g, '');
  if (mine === theirs) return [];
  if (mine.length < theirs.length) return [{ kind: 'separator', text: `separator \`${theirs[0] ?? ''}\` removed` }];
  if (mine.length > theirs.length) return [{ kind: 'separator', text: `separator \`${mine[0] ?? ''}\` added` }];
  return [{ kind: 'separator', text: `separator changed (\`${mine}\` for \`${theirs}\`)` }];
}

function weightOf(lookalike: Lookalike): number {
  return lookalike.steps.reduce((sum, step) => sum + WEIGHT[step.kind], 0);
}

/** Lightest rewrite first, then the more downloaded target, then by name for determinism. */
function rank(a: Lookalike, b: Lookalike): number {
  return (
    weightOf(a) - weightOf(b) ||
    b.target.downloads - a.target.downloads ||
    (a.target.name < b.target.name ? -1 : a.target.name > b.target.name ? 1 : 0)
  );
}
