/**
 * A pcap-filter file (`.pcapfilter`, `.bpf`) holds one expression, as the file `tcpdump -F FILE` reads: every
 * line of it, joined by the newlines libpcap's scanner takes as white space. labtel's grammar lets `#` start a
 * comment to the end of the line, which libpcap does not know: the comment is blanked to spaces here, so the
 * expression keeps the file's offsets, lines and columns and every error points into the file as written.
 */
export function expressionOfFilterFile(text: string): string {
  return text.replace(/#[^\r\n]*/g, (comment) => ' '.repeat(comment.length));
}
