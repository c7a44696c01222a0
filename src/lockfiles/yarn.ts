/**
 * The two yarn.lock parsers, one row each in the parser table. Both claim `yarn.lock`; the
 * file is read once and `accepts()` tells them apart: Berry's files have a `__metadata` block.
 */
export { default as yarnClassic } from './yarn-classic.ts';
export { default as yarnBerry } from './yarn-berry.ts';
