/**
 * Words a command line over SSH must carry unchanged: each one means something to a POSIX shell
 * (or to bash, dash or zsh) when it is not quoted right. Used by the unit test (through local sh and
 * bash) and by the integration test (through the test host's sshd and login shell).
 */
export const hostileArguments: readonly (readonly [what: string, word: string])[] = [
  ['a plain word', 'eth1'],
  ['an empty string', ''],
  ['a space', 'two words'],
  ['only spaces', '   '],
  ['a tab', 'a\tb'],
  ['a single quote', "it's"],
  ['two single quotes', "''"],
  ['a lone single quote', "'"],
  ['double quotes', '"quoted"'],
  ['a backslash', 'a\\b'],
  ['a trailing backslash', 'end\\'],
  ['command substitution', '$(touch /tmp/labtel-quote-pwned)'],
  ['backticks', '`touch /tmp/labtel-quote-pwned`'],
  ['a parameter', '$HOME'],
  ['a braced parameter', '${PATH:-x}'],
  ['arithmetic', '$((1+1))'],
  ['a semicolon', 'a; touch /tmp/labtel-quote-pwned'],
  ['and-and', 'true && touch /tmp/labtel-quote-pwned'],
  ['a pipe', 'a | wc'],
  ['redirections', '> /tmp/labtel-quote-pwned < /etc/passwd'],
  ['a background ampersand', 'sleep 1 &'],
  ['a newline', 'line one\nline two'],
  ['a newline then a command', 'x\ntouch /tmp/labtel-quote-pwned'],
  ['a carriage return', 'a\rb'],
  ['a star glob', '*'],
  ['a question glob', '/e?c/*'],
  ['a bracket glob', '[a-z]*'],
  ['brace expansion', '{a,b}'],
  ['a tilde', '~'],
  ['a tilde user', '~root/x'],
  ['a comment', '#not a comment'],
  ['history expansion', '!!'],
  ['an assignment', 'A=b'],
  ['a reserved word', 'if'],
  ['another reserved word', 'done'],
  ['an option-looking word', '-n'],
  ['a double dash', '--'],
  ['a percent format', '%s %d'],
  ['zsh equals expansion', '=ls'],
  ['control characters', '\x01\x1b[31m\x7f'],
  ['non-ASCII Latin', 'héllo wörld'],
  ['CJK', '日本語のノード'],
  ['an emoji', 'flow 🚀 top'],
  ['a long word', 'x'.repeat(4096)],
];

/** A program name with the same dangers, for argv[0] itself (a symlink of that name to printf). */
export const hostileProgramName = "prog 'it' $(x) ;&|`.sh";
