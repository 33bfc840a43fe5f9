import { UsageError, type CliCommand } from '../command';
import { readCapture } from '../../protocols/capture';
import { accepts, compile, disassemble, linkTypeOfCapture, ParseError, toC, toDecimal, toGo, toTypeScript, type Instruction, type LinkType, type Program } from '../../bpf';

const usage = `usage: labtel bpf compile [-d | -dd | -ddd | --go | --ts] [--linktype en10mb|raw] EXPRESSION…
       labtel bpf test [--json] FILE EXPRESSION…

  compile  prints the classic BPF program libpcap's semantics give the pcap-filter EXPRESSION:
           -d    as tcpdump -d (the default)      -dd   as C struct sock_filter initialisers (tcpdump -dd)
           -ddd  in decimal (tcpdump -ddd)        --go  golang.org/x/net/bpf instructions
           --ts  a TypeScript array               --linktype  en10mb (Ethernet, default) or raw (raw IP)
  test     prints the 1-based numbers of the frames of FILE (pcap or pcapng, Ethernet or raw IP) the
           expression accepts, one a line; --json prints {"packets": N, "matches": [...]}

  A bad expression exits with status 2 and says where it is wrong (line:column).`;

const FORMATS: Record<string, (p: readonly Instruction[]) => string> = { '-d': disassemble, '-dd': toC, '-ddd': toDecimal, '--go': toGo, '--ts': toTypeScript };

/** Splits the words after the subcommand into options and the expression (all remaining words, after `--` too). */
function split(argv: string[], takesValue: Set<string>): { options: string[][]; words: string[] } {
  const options: string[][] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (takesValue.has(a)) {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      options.push([a, argv[++i]!]);
    } else options.push([a]);
  }
  return { options, words: argv.slice(i) };
}

function runCompile(argv: string[]): number {
  const { options, words } = split(argv, new Set(['--linktype']));
  let format = disassemble;
  let linkType: LinkType = 'en10mb';
  for (const [name, value] of options) {
    if (name! in FORMATS) format = FORMATS[name!]!;
    else if (name === '--linktype') {
      if (value !== 'en10mb' && value !== 'raw') throw new UsageError(`--linktype is en10mb or raw, not "${value}"`);
      linkType = value;
    } else throw new UsageError(`unknown option "${name}"`);
  }
  process.stdout.write(format(compile(words.join(' '), { linkType })));
  return 0;
}

async function runTest(argv: string[]): Promise<number> {
  const { options, words } = split(argv, new Set());
  let json = false;
  for (const [name] of options) {
    if (name === '--json') json = true;
    else throw new UsageError(`unknown option "${name}"`);
  }
  const [file, ...expression] = words;
  if (file === undefined) throw new UsageError('missing capture file');
  const text = expression.join(' ');
  // Compile once up front so that a bad expression is reported before the file is read.
  const programs = new Map<LinkType, Program>([['en10mb', compile(text, { linkType: 'en10mb' })]]);
  const matches: number[] = [];
  let packets = 0;
  for await (const p of readCapture(file)) {
    packets++;
    const linkType = linkTypeOfCapture(p.linkType);
    if (linkType === undefined) throw new Error(`${file}: frame ${packets} has link type ${p.linkType}; labtel bpf compiles for Ethernet (1) and raw IP (101)`);
    let program = programs.get(linkType);
    if (!program) programs.set(linkType, (program = compile(text, { linkType })));
    if (accepts(program, p.data, p.originalLength)) matches.push(packets);
  }
  process.stdout.write(json ? `${JSON.stringify({ packets, matches })}\n` : matches.map((n) => `${n}\n`).join(''));
  return 0;
}

export const bpfCommand: CliCommand = {
  name: 'bpf',
  summary: 'compile a pcap-filter expression to classic BPF (tcpdump -d/-dd/-ddd, Go, TS) or test it on a capture',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'compile') return runCompile(rest);
      if (sub === 'test') return await runTest(rest);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      // One line naming the position and what was expected; the expression is the user's input, not a bug.
      console.error(`labtel bpf: ${e.message}`);
      return 2;
    }
    throw new UsageError(sub === undefined ? 'missing subcommand (compile or test)' : `unknown subcommand "${sub}"`);
  },
};
