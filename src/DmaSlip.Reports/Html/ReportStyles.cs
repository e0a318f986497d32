namespace DmaSlip.Reports.Html;

/// <summary>
/// The report's stylesheet, inlined into the page (no external fonts or files: the report must open offline and
/// make no network requests). System font stack; tabular figures in tables; a print layout without navigation.
/// </summary>
internal static class ReportStyles
{
    public const string Css = """
:root {
  --ink: #1f2933; --muted: #616e7c; --faint: #9aa5b1; --line: #e4e7eb; --bg: #f5f7fa; --card: #ffffff;
  --accent: #243b53; --pass: #2b8a3e; --pass-bg: #ebfbee; --fail: #c92a2a; --fail-bg: #fff5f5;
  --warn: #e67700; --warn-bg: #fff9db;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif;
}
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.masthead { background: var(--accent); color: #fff; padding: 22px 0 18px; }
.masthead .wrap { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 18px; }
.brand { font-weight: 700; letter-spacing: .04em; text-transform: uppercase; font-size: 12px; opacity: .8; }
.masthead h1 { margin: 0; font-size: 24px; font-weight: 600; flex-basis: 100%; }
.masthead .meta { margin: 0; font-size: 13px; opacity: .85; flex-basis: 100%; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); }
nav.toc ol { list-style: none; margin: 0 auto; padding: 0 28px; max-width: 1180px; display: flex; flex-wrap: wrap; gap: 2px 4px; }
nav.toc a { display: block; padding: 10px 10px; color: var(--muted); text-decoration: none; font-weight: 500; font-size: 13px; }
nav.toc a:hover { color: var(--accent); box-shadow: inset 0 -2px 0 var(--accent); }
main { padding: 22px 0 40px; }
section.section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px 22px; margin: 0 0 20px; }
section.section > h2 { margin: 0 0 4px; font-size: 19px; font-weight: 600; }
h3 { font-size: 15px; font-weight: 600; margin: 22px 0 6px; }
p.lead { margin: 0 0 14px; color: var(--muted); max-width: 900px; }
.no-data { border: 1px dashed var(--faint); background: #fafbfc; border-radius: 6px; padding: 12px 14px; color: var(--muted); margin: 8px 0; }
.no-data strong { color: var(--ink); }
.note { color: var(--muted); font-size: 12.5px; margin: 6px 0 0; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 6px 0 18px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; background: #fbfcfd; }
.kpi-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.kpi-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; margin-top: 2px; }
.kpi-sub { color: var(--muted); font-size: 12px; }
.kpi.alert .kpi-value { color: var(--fail); }
.kpi.textual .kpi-value { font-size: 16px; padding-top: 5px; color: var(--muted); }
.kpi.ok .kpi-value { color: var(--pass); }
figure.figure { margin: 10px 0 16px; }
.chart { width: 100%; border: 1px solid var(--line); border-radius: 6px; background: #fff; padding: 6px; }
.chart svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
.grid-2 { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
@media (max-width: 900px) { .grid-2 { grid-template-columns: 1fr; } }
.table-wrap { overflow-x: auto; margin: 8px 0 14px; }
table.data { border-collapse: collapse; width: 100%; font-size: 13px; }
table.data caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
table.data th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .02em;
  border-bottom: 2px solid var(--line); padding: 6px 10px; white-space: nowrap; }
table.data td { border-bottom: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
table.data tbody tr:hover td { background: #f8fafc; }
table.data td.strong { font-weight: 600; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.heat-0 { background: #ebfbee; } td.heat-1 { background: #fff9db; } td.heat-2 { background: #ffe8cc; } td.heat-3 { background: #ffe3e3; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11.5px; font-weight: 700; letter-spacing: .03em; }
.badge.pass { color: var(--pass); background: var(--pass-bg); border: 1px solid #b2f2bb; }
.badge.fail { color: var(--fail); background: var(--fail-bg); border: 1px solid #ffc9c9; }
.badge.high { color: var(--fail); background: var(--fail-bg); border: 1px solid #ffc9c9; }
.badge.medium { color: var(--warn); background: var(--warn-bg); border: 1px solid #ffec99; }
.badge.low { color: var(--muted); background: #f1f3f5; border: 1px solid var(--line); }
.regime { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 11.5px; font-weight: 600; border: 1px solid; }
.drill { border: 1px solid var(--line); border-left: 4px solid var(--pass); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.drill.failed { border-left-color: var(--fail); }
.drill h3 { margin: 0 0 4px; display: flex; gap: 10px; align-items: center; }
dl.evidence { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0 0; font-size: 12.5px; }
dl.evidence dt { color: var(--muted); }
dl.evidence dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; padding: 0 0 30px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { background: #fff; font-size: 11.5px; }
  nav.toc { display: none; }
  .masthead { background: #fff; color: var(--ink); border-bottom: 2px solid var(--ink); padding: 0 0 8px; }
  .wrap { max-width: none; padding: 0; }
  main { padding: 10px 0; }
  section.section { border: none; padding: 0; margin: 0 0 14px; break-before: page; }
  section.section:first-of-type { break-before: auto; }
  figure.figure, table.data tr, .drill, .kpi { break-inside: avoid; }
  .chart { border: none; padding: 0; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
""";
}
