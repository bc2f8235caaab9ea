/** The streams and environment a CLI command runs with (injectable for tests). */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** One `vaibot <verb>`: loaded lazily by the CLI entry, returns the process exit code. */
export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;
