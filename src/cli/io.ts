/** The process streams and environment, injected so main() can be tested without spawning. */
export interface CliIO {
  readonly stdout: { write(chunk: string): unknown; isTTY?: boolean | undefined };
  readonly stderr: { write(chunk: string): unknown; isTTY?: boolean | undefined };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Node's executable (npm derives its global config from it); default process.execPath. */
  readonly execPath?: string | undefined;
  readonly platform?: string | undefined;
}

export function processIO(): CliIO {
  return {
    // Read when first written to: Node creates each stream on first access (for a pipe, a
    // socket with its handle), and most runs write to only one of the two.
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    cwd: process.cwd(),
    execPath: process.execPath,
    platform: process.platform,
  };
}
