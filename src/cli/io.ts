/** The process streams and environment, injected so main() can be tested without spawning. */
export interface CliIO {
  readonly stdout: { write(chunk: string): unknown; isTTY?: boolean | undefined };
  readonly stderr: { write(chunk: string): unknown; isTTY?: boolean | undefined };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
