/**
 * The one place where an argv becomes text for a shell: the command line an SSH client sends.
 *
 * OpenSSH carries a command as ONE string (RFC 4254 §6.5, the "exec" request), and sshd runs it with
 * the user's login shell as `SHELL -c STRING`. labtel's commands are argv arrays, so each word is put
 * in single quotes: inside them every character keeps its literal value, newlines included (POSIX
 * XCU 2.2.2). A single quote cannot appear there, so it closes the quotes, comes as `\'`, and the
 * quotes reopen. Words made only of characters no POSIX shell gives a meaning stay bare so that logs
 * read well; a shell's reserved words are quoted even then (`if` as a command would be syntax).
 * The login shell must be a POSIX shell (sh, dash, bash, zsh, ksh): csh and fish quote differently.
 */

/** Characters that no POSIX shell treats specially anywhere in a word ("=" is not one: `A=b cmd`; nor "~" or "#"). */
const plainWord = /^[A-Za-z0-9_./,:@%+-]+$/;

/** POSIX reserved words (XCU 2.4) and those bash, ksh and zsh add. */
const reservedWords = new Set(['!', '{', '}', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'if', 'in', 'then', 'until', 'while',
  'function', 'select', 'time', 'coproc', 'repeat', 'foreach', 'end', 'nocorrect', 'noglob']);

export class ShellQuoteError extends Error {
  override readonly name = 'ShellQuoteError';
}

/** One word, quoted so that a POSIX shell reads it back as exactly this word. */
export function quoteWord(word: string, index = 0): string {
  if (word.includes('\0')) throw new ShellQuoteError(`argument ${index} contains a NUL byte, which no process argument can carry`);
  if (plainWord.test(word) && !reservedWords.has(word)) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** An argv as one command line for a POSIX shell: the shell runs argv[0] with exactly these arguments. */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new ShellQuoteError('an empty command has nothing to run');
  return argv.map((w, i) => quoteWord(w, i)).join(' ');
}
