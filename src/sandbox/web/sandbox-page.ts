import { SANDBOX_SCRIPT } from './sandbox-script.js';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1c1d}
header{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding:10px 16px;background:#3f0e40;color:#fff}
header h1{font-size:17px;margin:0 12px 0 0}header select,header input,header button{font:inherit}
main{display:grid;grid-template-columns:1.2fr 1fr 1fr;gap:12px;padding:12px}
section.pane{background:#fff;border-radius:8px;padding:10px;box-shadow:0 1px 2px #0002;overflow:auto;max-height:85vh}
h2{font-size:15px;margin:4px 0 8px}h3{font-size:13px;margin:10px 0 4px;color:#555}
.slack-msg{border-left:3px solid #4a154b;padding:6px 8px;margin:6px 0;background:#fafafa}
.slack-msg .author{font-weight:600;font-size:12px;color:#555}.blk-header{font-weight:700;font-size:15px}
.blk-context{font-size:12px;color:#616061}.blk-fields{display:grid;grid-template-columns:1fr 1fr;gap:2px 12px}
.blk-actions button,.odoo-actions button{margin:4px 6px 0 0}button.primary{background:#007a5a;color:#fff;border:0;padding:4px 10px;border-radius:4px}
button.danger{background:#e01e5a;color:#fff;border:0;padding:4px 10px;border-radius:4px}
.odoo-rec{border:1px solid #ddd;border-radius:6px;padding:6px;margin:6px 0}.state{font-weight:700;text-transform:uppercase;font-size:11px;background:#eee;padding:1px 6px;border-radius:8px}
.chatter{font-size:12px;color:#444;margin:4px 0 0 8px}.chatter div{border-top:1px dotted #ccc;padding:2px 0}
table{border-collapse:collapse;font-size:12px;width:100%}td{border-top:1px solid #eee;padding:2px 4px;vertical-align:top}
dialog{border-radius:8px;min-width:380px}dialog textarea{width:100%;min-height:70px}
#command-answer{white-space:pre-wrap;font-size:12px;background:#f8f8f8;padding:6px;margin-top:6px}
.teams-act{border:1px solid #c5c7ea;border-radius:6px;margin:6px 0;padding:4px}.muted{color:#777;font-size:12px}
#toast{position:fixed;bottom:12px;right:12px;background:#1d1c1d;color:#fff;padding:8px 12px;border-radius:6px;display:none}
`;

/** The sandbox page: server-rendered shell, filled and refreshed by a small inline script from /sandbox/api/state. */
export function sandboxPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>odoo-chatops sandbox</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${STYLE}</style>
<script src="/sandbox/assets/adaptivecards.js"></script>
</head><body>
<header>
  <h1>odoo-chatops sandbox</h1>
  <label>You are <select id="person"></select></label>
  <span id="person-groups" class="muted" style="color:#ddd"></span>
  <span>Clock: <b id="clock"></b></span>
  <label>Fast-forward <select id="ff-hours"><option value="4">4 hours</option><option value="24">1 day</option><option value="48">2 days</option><option value="240">10 days</option></select></label>
  <button id="ff-go">Fast-forward</button>
</header>
<main>
  <section class="pane" id="slack-pane"><h2>Slack</h2>
    <div><input id="command-text" size="28" value="status P00001" aria-label="slash command">
    <button id="command-send">Send /odoo</button></div>
    <div id="command-answer" hidden></div>
    <div id="slack"></div>
  </section>
  <section class="pane" id="teams-pane"><h2>Microsoft Teams</h2><div id="teams"></div></section>
  <section class="pane" id="odoo-pane"><h2>Odoo</h2>
    <div class="odoo-actions"><button data-new="po">New order</button><button data-new="po-big">New order over 5,000</button><button data-new="variance">New bill with a variance</button><button data-new="overdue-invoice">New overdue invoice</button><button data-new="failed-payment">New failed payment</button></div>
    <div id="odoo"></div>
    <h2>Audit log</h2><table id="audit"><tbody></tbody></table>
  </section>
</main>
<dialog id="modal"><form method="dialog"><h3 id="modal-title"></h3><p id="modal-label" class="muted"></p>
<textarea id="modal-text"></textarea><p><button id="modal-submit" value="submit" class="primary">Submit</button> <button value="cancel">Cancel</button></p></form></dialog>
<div id="toast"></div>
<script>${SANDBOX_SCRIPT}</script>
</body></html>`;
}
