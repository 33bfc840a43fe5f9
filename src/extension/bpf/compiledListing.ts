/** What "Show Compiled BPF" shows for a filter file's text (no vscode here: unit-tested under plain Node). */
import { bpfCore } from './bpfCore';

/**
 * The program as `tcpdump -d` prints it for an Ethernet capture, or the filter's mistake as a bpf-asm comment
 * (`;`) naming its line and column.
 */
export function compiledListing(text: string): string {
  try {
    const { compile, disassemble, expressionOfFilterFile } = bpfCore();
    return disassemble(compile(expressionOfFilterFile(text)));
  } catch (err) {
    if (err instanceof bpfCore().ParseError) return `; does not compile: ${err.message}\n`;
    throw err;
  }
}
