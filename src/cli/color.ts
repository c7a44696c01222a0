/**
 * Whether to colour a stream: --color/--no-color win, then NO_COLOR (any non-empty value) and
 * FORCE_COLOR ("0"/"false" off, anything else on), then whether the stream is a terminal.
 */
export function shouldColor(flag: boolean | undefined, stream: { isTTY?: boolean | undefined }, env: NodeJS.ProcessEnv): boolean {
  if (flag !== undefined) return flag;
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}
