import type { RangeTest } from './fix.ts';

/** semver loads with the advisory layer anyway; the checks ask for it only once they have findings. */
export async function loadRangeTest(): Promise<RangeTest> {
  const { default: semver } = await import('semver');
  return (version, range) => (semver.validRange(range) === null ? undefined : semver.satisfies(version, range, { includePrerelease: true }));
}
