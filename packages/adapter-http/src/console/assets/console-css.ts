/** The console's only stylesheet, served at /console/assets/console.css (no inline style: the CSP forbids it). */
export const CONSOLE_CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --bad: #a40e26; --warn: #7d4e00; --ok: #1a7f37; --bg: #fff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus, button:focus, input:focus, summary:focus, main:focus { outline: 3px solid #f0a30a; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.top { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; padding: 8px 16px; background: #0b3d6e; color: #fff; }
.top a { color: #fff; }
.top nav ul { display: flex; gap: 12px; list-style: none; margin: 0; padding: 0; }
.top a[aria-current="page"] { font-weight: 700; text-decoration: underline; }
.brand { font-weight: 700; }
.who { margin-left: auto; display: flex; gap: 8px; align-items: center; }
main { padding: 8px 16px 48px; max-width: 1400px; }
h1 { font-size: 1.5rem; margin: 12px 0; }
h2 { font-size: 1.2rem; margin: 20px 0 8px; }
table { border-collapse: collapse; margin: 8px 0; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { background: var(--panel); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 16px; }
.figures { padding-left: 18px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: var(--panel); border: 1px solid var(--line); font-family: ui-monospace, monospace; font-size: .85em; }
.o-failed, .o-rejected { background: #ffebe9; border-color: var(--bad); color: var(--bad); }
.o-review, .o-stale { background: #fff8c5; border-color: var(--warn); color: var(--warn); }
.o-created, .o-applied { background: #dafbe1; border-color: var(--ok); color: var(--ok); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.review { border-left: 4px solid var(--warn); padding: 4px 12px; background: #fffbe6; }
.reasons { margin: 0; padding-left: 18px; }
.ok { color: var(--ok); }
.warn, .error { color: var(--bad); }
pre.body, pre { background: var(--panel); border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 480px; white-space: pre-wrap; word-break: break-word; }
form.action, fieldset.action { margin: 12px 0; }
fieldset { border: 1px solid var(--line); padding: 8px 12px; }
label { display: block; margin: 6px 0 2px; }
label.check { display: inline-block; margin-right: 10px; }
input:not([type="checkbox"]) { font: inherit; padding: 4px 6px; min-width: 280px; max-width: 100%; border: 1px solid var(--muted); border-radius: 4px; }
button { font: inherit; padding: 4px 12px; margin-top: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
.danger button { background: var(--bad); border-color: var(--bad); }
.who button { margin: 0; background: transparent; border-color: #fff; }
.js-only { display: none; }
.js .js-only { display: inline-block; }
ul.bodies { display: flex; flex-wrap: wrap; gap: 4px 12px; list-style: none; padding: 0; font-size: .9em; }
code { font-family: ui-monospace, monospace; word-break: break-all; }
.lead { font-size: 1.05rem; }
`
