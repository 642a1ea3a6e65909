/** The report's only style sheet, inlined: lane colors per trust state, compact grid columns. */
export const HTML_STYLE = `
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#1b1f24}
h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:20px 0 6px}
.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:3px}
.grid{overflow-x:auto;border:1px solid #d0d7de}
.lane{display:grid;grid-template-columns:var(--name) repeat(var(--n),var(--col));min-width:max-content}
.lane>*{height:20px;overflow:hidden;white-space:nowrap;font-size:11px;text-align:center;line-height:20px;border-right:1px solid #fff}
.lane .name{position:sticky;left:0;z-index:1;background:#fff;text-align:left;padding:0 6px;font-family:ui-monospace,monospace;border-right:1px solid #d0d7de}
.head>span{background:#eef1f4;color:#57606a}.group{font-weight:600;padding:6px;background:#f6f8fa}
.absent{background:#f6f8fa}.noItl{background:#aeb6bf}.trusted{background:#2e9e4f;color:#fff}
.locked{background:#d1242f;color:#fff}.recovered{background:#1f6feb;color:#fff}
.itl{color:#fff;font-family:ui-monospace,monospace}.itl0{background:#6e40c9}.itl1{background:#bf8700}.itl2{background:#0a7a8a}
.itl3{background:#a0522d}.itl4{background:#8250df}.itl5{background:#57606a}.itl6{background:#116329}.itl7{background:#953800}
table.diag{border-collapse:collapse}table.diag td,table.diag th{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
[hidden]{display:none!important}#filter{width:320px;padding:4px}
`;

/** The report's only script, inlined: the filter by phone name or outcome, and the count of lanes shown. */
export const HTML_SCRIPT = `
(function () {
  var input = document.getElementById('filter');
  var count = document.getElementById('shown');
  function apply() {
    var q = input.value.trim().toLowerCase();
    var shown = 0;
    document.querySelectorAll('.group-box').forEach(function (box) {
      var inBox = 0;
      box.querySelectorAll('.lane[data-phone]').forEach(function (lane) {
        var hit = !q || (lane.getAttribute('data-phone') + ' ' + lane.getAttribute('data-outcome')).toLowerCase().indexOf(q) >= 0;
        lane.hidden = !hit;
        if (hit) inBox++;
      });
      box.hidden = inBox === 0;
      shown += inBox;
    });
    count.textContent = String(shown);
  }
  input.addEventListener('input', apply);
  apply();
})();
`;
