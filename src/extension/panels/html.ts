/**
 * The one HTML page every panel loads (the webview-sample's pattern, as vscode-containerlab shares it):
 * a strict Content-Security-Policy — nothing by default, the bundle's script by nonce, styles, fonts and
 * images from the webview's own resource origin only — the panel's CSS and script, and an empty body the
 * script fills. Plain strings in, a string out: no vscode here, so it is tested under node.
 */
import { randomBytes } from 'node:crypto';

/** 16 random bytes, base64: a new nonce per page load (CSP3 "nonce-source"). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PanelPage {
  /** `webview.cspSource`: the origin asWebviewUri's URIs are served from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  /** asWebviewUri of dist/media/<kind>.js and its CSS. */
  readonly scriptUri: string;
  readonly styleUris: readonly string[];
}

/** The CSP for a panel: scripts by nonce only, no inline style, no connection of any kind. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeAttr = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export function panelHtml(p: PanelPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(panelCsp(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${p.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join('\n')}
<title>${escapeAttr(p.title)}</title>
</head>
<body>
<script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>
`;
}
