/**
 * Minimal HTML building: escaping and the page template. Reports are
 * self-contained (inline CSS and SVG; no scripts, fonts or URLs) so they open
 * offline, archive with the run, and print.
 *
 * @module
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** A table cell: plain text (escaped) or pre-built HTML. */
export type Cell = string | { readonly html: string; readonly className?: string };

/** Options of {@link htmlTable}. */
export interface TableOptions {
  /** Header row(s); each entry is one row. */
  readonly head: readonly (readonly Cell[])[];
  readonly rows: readonly (readonly Cell[])[];
  /** Class of the `<table>`. */
  readonly className?: string;
  /** Caption (escaped). */
  readonly caption?: string;
  /** First column is a row header (`<th scope="row">`). Default true. */
  readonly rowHeaders?: boolean;
}

function cellHtml(tag: 'td' | 'th', cell: Cell, extra = ''): string {
  if (typeof cell === 'string') return `<${tag}${extra}>${escapeHtml(cell)}</${tag}>`;
  const cls = cell.className === undefined ? '' : ` class="${escapeHtml(cell.className)}"`;
  return `<${tag}${extra}${cls}>${cell.html}</${tag}>`;
}

/** A table; strings are escaped, `{ html }` cells are inserted as they are. */
export function htmlTable(options: TableOptions): string {
  const rowHeaders = options.rowHeaders ?? true;
  const cls = options.className === undefined ? '' : ` class="${escapeHtml(options.className)}"`;
  const caption = options.caption === undefined ? '' : `<caption>${escapeHtml(options.caption)}</caption>`;
  const head = options.head.map((row) => `<tr>${row.map((c) => cellHtml('th', c, ' scope="col"')).join('')}</tr>`).join('\n');
  const body = options.rows
    .map((row) => `<tr>${row.map((c, i) => (i === 0 && rowHeaders ? cellHtml('th', c, ' scope="row"') : cellHtml('td', c))).join('')}</tr>`)
    .join('\n');
  return `<table${cls}>${caption}\n<thead>\n${head}\n</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A figure holding an inline SVG (trusted markup) or a note when there is nothing to plot. */
export function figure(title: string, content: { readonly svg: string } | { readonly note: string }, caption = ''): string {
  const body = 'svg' in content ? content.svg : `<p class="note">${escapeHtml(content.note)}</p>`;
  const cap = caption === '' ? '' : `<figcaption>${caption}</figcaption>`;
  return `<figure class="chart">\n<h3>${escapeHtml(title)}</h3>\n${body}\n${cap}\n</figure>`;
}

/** Options of {@link htmlPage}. */
export interface PageOptions {
  /** Document title (escaped). */
  readonly title: string;
  /** Body markup (trusted). */
  readonly body: string;
}

const CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg-alt: #f5f7fa; --accent: #1f5fae; --bad: #b3261e; --good: #1e7b34; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: var(--fg); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
p { margin: 6px 0; }
.description { color: var(--muted); font-size: 15px; max-width: 80ch; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 14px 0 0; padding: 10px 14px; background: var(--bg-alt); border-radius: 6px; }
.meta div { display: flex; flex-direction: column; }
.meta dt { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.meta dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
thead th { border-bottom: 2px solid var(--fg); font-weight: 600; vertical-align: bottom; }
thead th:first-child, tbody th { text-align: left; }
tbody th { font-weight: 500; }
.returns { flex: 0 1 auto; min-width: 0; max-width: 100%; }
.returns .footnote, .returns .source { max-width: 680px; }
th.group, td.group { text-align: left; font-weight: 700; background: var(--bg-alt); }
td.sim, th.sim { background: #eef4fc; font-weight: 600; }
th.ref-first, td.ref-first { border-left: 2px solid var(--line); }
td.bad { color: var(--bad); font-weight: 700; }
td.good { color: var(--good); }
td.text, th.text { text-align: left; }
.computed { color: var(--muted); }
.sub { display: block; font-size: 11px; font-weight: 400; color: var(--muted); }
.source, .footnote { font-size: 12px; color: var(--muted); max-width: 100ch; }
.alert { margin: 12px 0; padding: 10px 14px; border-left: 4px solid var(--bad); background: #fdf0ef; }
.alert ul { margin: 4px 0 0; padding-left: 20px; }
figure.chart { margin: 18px 0 26px; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; max-width: 100ch; }
.charts-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 0 24px; }
.note { padding: 14px; background: var(--bg-alt); color: var(--muted); border-radius: 6px; margin: 0; }
details { margin: 12px 0; }
summary { cursor: pointer; font-weight: 600; }
pre { background: var(--bg-alt); padding: 12px; overflow-x: auto; font-size: 12px; line-height: 1.4; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .scroll { overflow: visible; }
  details > *:not(summary) { display: none; }
  .meta { background: none; border: 1px solid var(--line); }
}
`;

/** The whole document: doctype, inline CSS, body. Nothing is fetched. */
export function htmlPage(options: PageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${CSS}</style>
</head>
<body>
${options.body}
</body>
</html>
`;
}
