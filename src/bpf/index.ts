/**
 * labtel's pcap-filter core: parse an expression (a tree with source ranges, or a ParseError saying where and
 * what was expected), compile it to classic BPF with libpcap's semantics, print the program as `tcpdump -d`
 * does, export it as C / decimal / Go / TypeScript, and run it on packets as the kernel would (translated once
 * into a JavaScript function, or interpreted).
 */
export type * from './ast';
export { parse } from './parser';
export { ParseError } from './parseError';
export { CompileError } from './compileError';
export { compile, DEFAULT_SNAPLEN, linkTypeOfCapture, type CompileOptions, type LinkType } from './compiler';
export { disassemble, imageOf } from './disassembler';
export { parseDecimal, toC, toDecimal, toGo, toTypeScript, DecimalFormatError } from './export';
export { accepts, execute } from './filter';
export { captureMatches, type CaptureMatches } from './captureMatches';
export { expressionOfFilterFile } from './filterFile';
export { run, validate, InvalidProgramError } from './interpreter';
export { compileToFunction, translate, type CompiledFilter } from './jit';
export type { Instruction, Program } from './instruction';
export { tokenize, KEYWORDS, CONSTANTS, type Token } from './lexer';
export { PROTOCOL_KEYWORDS } from './parser';
export { SERVICES } from './names/services';
export { IP_PROTOCOLS } from './names/protocols';
