// Types for cpu.js, which stays plain JavaScript so `npm run bench` needs no build.
export function childrenTicks(statText: string): number;
export function childrenCpuClock(): (() => number) | undefined;
