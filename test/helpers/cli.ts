import type { CliIo } from "../../src/cli/cli-io.ts";
import { runCli } from "../../src/cli/main.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A CliIo for running a command in-process: what it writes is kept in `output`, stdin reads
 * `stdin` (empty unless given), and fetch is the real one unless the test passes its own.
 */
export function capturedIo(
  env: Record<string, string>,
  options: { stdin?: string; fetch?: typeof fetch } = {},
): { io: CliIo; output: { stdout: string; stderr: string } } {
  const output = { stdout: "", stderr: "" };
  const io: CliIo = {
    env,
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text) },
    readStdin: async () => options.stdin ?? "",
    fetch: options.fetch ?? fetch,
  };
  return { io, output };
}

/** Runs the CLI in-process through capturedIo: its exit code and what it wrote. */
export async function runCapturedCli(
  argv: string[],
  env: Record<string, string>,
  options: { stdin?: string; fetch?: typeof fetch } = {},
): Promise<CliResult> {
  const { io, output } = capturedIo(env, options);
  const code = await runCli(argv, io);
  return { code, ...output };
}
