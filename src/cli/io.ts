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
      return quietOnClosedPipe(process.stdout);
    },
    get stderr() {
      return quietOnClosedPipe(process.stderr);
    },
    env: process.env,
    cwd: process.cwd(),
    execPath: process.execPath,
    platform: process.platform,
  };
}

const watched = new WeakSet<NodeJS.WriteStream>();

/**
 * A reader that goes away (`pkgguard audit | head`) makes the next write fail with EPIPE, which
 * Node raises as an 'error' event: unhandled, it prints a stack trace and exits 1 whatever the
 * audit found. What was not read is not wanted, so the rest of the output is dropped and the
 * exit code stays the audit's; any other stream error is still raised.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (!watched.has(stream)) {
    watched.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return stream;
}
