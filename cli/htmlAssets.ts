/**
 * The report's only style sheet, inlined: lane colors per trust state (hatched while unplugged, dotted
 * while restarting), the time axis written upwards, focus rings, reset and forged ITLs marked, print rules.
 */
export const HTML_STYLE = `
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#1b1f24}
h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:20px 0 6px}
.headline{font-size:14px}.c-locked{color:#b3121c}.c-recovered{color:#1f6feb}
.legend span{display:inline-block;padding:1px 8px;margin:0 6px 4px 0;border-radius:3px}
.hint{color:#57606a;margin:2px 0}#detail{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;min-height:1.4em;margin:4px 0;padding:4px 8px;background:#f6f8fa;border-left:3px solid #0969da}
#detail:empty{display:none}
.grid{overflow-x:auto;border:1px solid #d0d7de}
.lane{display:grid;grid-template-columns:var(--name) repeat(var(--n),var(--col));min-width:max-content}
.lane>*{height:20px;overflow:hidden;white-space:nowrap;font-size:11px;text-align:center;line-height:20px;border-right:1px solid #fff;border-bottom:1px solid #fff;box-sizing:border-box}
.lane .name{position:sticky;left:0;z-index:1;background:#fff;text-align:left;padding:0 6px;font-family:ui-monospace,monospace;border-right:1px solid #d0d7de;overflow:hidden;text-overflow:ellipsis}
.head>span{height:265px;background:#eef1f4;color:#57606a;border-right:1px solid #d0d7de}
.head>span b{display:block;writing-mode:vertical-rl;transform:rotate(180deg);font-weight:400;height:259px;line-height:var(--col);text-align:left;padding:3px 0;overflow:hidden}
.head>span.mark{background:#dde4ec;color:#1b1f24}.head>span.fold{background:#f6f8fa;font-style:italic}.head>span.mark b{font-weight:600}
.head>.name{writing-mode:horizontal-tb;line-height:20px;padding-top:241px;font-family:system-ui,sans-serif;color:#57606a}
.group{font-weight:600;padding:6px;background:#f6f8fa;position:sticky;left:0}.sub{padding:2px 6px 2px 18px;font-size:12px;color:#57606a;background:#fbfcfd;position:sticky;left:0}
.absent{background:#f6f8fa}.noItl{background:#aeb6bf}.trusted{background:#2e9e4f;color:#fff}
.locked{background:#d1242f;color:#fff}.recovered{background:#1f6feb;color:#fff}
.off,.restarting{text-shadow:0 0 2px #000,0 0 4px #000,0 0 6px #000}
.off{background-image:repeating-linear-gradient(135deg,rgba(255,255,255,.45) 0 3px,transparent 3px 8px)}
.restarting{background-image:radial-gradient(rgba(255,255,255,.7) 1.2px,transparent 1.6px);background-size:5px 5px}
.itl{color:#fff;font-family:ui-monospace,monospace}.itl0{background:#6e40c9}.itl1{background:#bf8700}.itl2{background:#0a7a8a}
.itl3{background:#a0522d}.itl4{background:#8250df}.itl5{background:#57606a}.itl6{background:#116329}.itl7{background:#953800}
.itl-reset{box-shadow:inset 0 0 0 2px #ffd33d;font-weight:700}
.itl-forged,.itl-broken{background:#24292f;color:#ff8182;font-weight:700;background-image:repeating-linear-gradient(45deg,rgba(209,36,47,.55) 0 4px,transparent 4px 9px)}
.lane>[tabindex]:focus{outline:3px solid #0969da;outline-offset:-3px;position:relative;z-index:2}
.virtual{height:70vh;overflow:auto;position:relative}#vspace{position:relative;min-width:max-content}
#vspace>*{position:absolute;left:0;right:0;height:21px;box-sizing:border-box}
table.diag,table.timeline{border-collapse:collapse}table.diag td,table.diag th,table.timeline td,table.timeline th{border:1px solid #d0d7de;padding:3px 8px;vertical-align:top;text-align:left}
table.timeline{font-size:12px}table.timeline td:nth-child(-n+2){white-space:nowrap}table.timeline tr.mark td{background:#f6f8fa;font-weight:600}
[hidden]{display:none!important}#filter{width:320px;padding:4px}
@media print{
  .noprint,.hint,#detail{display:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .grid{overflow:visible;border:0}.virtual{height:auto;overflow:visible}
  body{margin:0;font-size:11px}tr{break-inside:avoid}h2{break-after:avoid}
}
`;

/**
 * The report's only script, inlined: the filter by phone name, outcome or TVS list and the count of
 * lanes shown; the arrow keys between cells, the focused cell's details in words; and, when the lanes
 * are a JSON island (many phones), drawing only the rows in view as the grid scrolls, every value set
 * as text (textContent, setAttribute), never as markup.
 */
export const HTML_SCRIPT = `
(function () {
  var input = document.getElementById('filter');
  var count = document.getElementById('shown');
  var detail = document.getElementById('detail');
  var island = document.getElementById('lanes-data');
  var data = island ? JSON.parse(island.textContent) : null;
  var ROW = 21;
  var box = document.getElementById('vlanes');
  var space = document.getElementById('vspace');
  var items = [];
  var WORDS = { locked: 'LOCKED (Trust List Update Failed)', recovered: 'trusted again (recovered after a lock)', trusted: 'trusted', noItl: 'no ITL', absent: 'not added yet' };
  function hit(q, text) { return !q || text.toLowerCase().indexOf(q) >= 0; }
  function applyStatic(q) {
    var shown = 0;
    document.querySelectorAll('.group-box').forEach(function (group) {
      var inGroup = 0;
      group.querySelectorAll('.sub-box').forEach(function (sub) {
        var inSub = 0;
        var tvs = sub.firstElementChild.textContent;
        sub.querySelectorAll('.lane[data-phone]').forEach(function (lane) {
          var ok = hit(q, lane.getAttribute('data-phone') + ' ' + lane.getAttribute('data-outcome') + ' ' + tvs);
          lane.hidden = !ok;
          if (ok) inSub++;
        });
        sub.hidden = inSub === 0;
        inGroup += inSub;
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    return shown;
  }
  function applyVirtual(q) {
    items = [];
    var shown = 0, group = null, sub = null;
    data.rows.forEach(function (r) {
      if (r[0] === 0) { group = r; sub = null; return; }
      if (r[0] === 1) { sub = r; return; }
      if (!hit(q, r[0] + ' ' + r[2] + ' TVS list ' + r[3])) return;
      if (group) { items.push(group); group = null; }
      if (sub) { items.push(sub); sub = null; }
      items.push(r);
      shown++;
    });
    space.style.height = items.length * ROW + 'px';
    box.scrollTop = 0;
    render();
    return shown;
  }
  function laneRow(r) {
    var lane = document.createElement('div');
    lane.className = 'lane';
    lane.setAttribute('data-phone', r[0]);
    lane.setAttribute('data-outcome', r[2]);
    var name = document.createElement('span');
    name.className = 'name';
    name.textContent = r[0];
    lane.appendChild(name);
    data.patterns[r[1]].forEach(function (c) {
      var cell = document.createElement('span');
      cell.className = c[0];
      if (c[2] > 1) cell.style.gridColumn = 'span ' + c[2];
      cell.setAttribute('tabindex', '0');
      cell.setAttribute('data-col', String(c[1]));
      cell.setAttribute('data-from', String(c[4]));
      var state = c[0].split(' ')[0];
      var power = c[0].indexOf(' off') > 0 ? ', unplugged' : c[0].indexOf(' restarting') > 0 ? ', restarting' : '';
      cell.setAttribute('title', data.columns[c[1]] + '\\n' + r[0] + ': ' + (WORDS[state] || state) + power + (c[3] ? '\\ndecided by ' + c[3] : ''));
      if (box.getAttribute('data-wide') === '1') cell.textContent = c[3];
      lane.appendChild(cell);
    });
    return lane;
  }
  function render() {
    var focused = document.activeElement;
    var keep = focused && focused.hasAttribute && focused.hasAttribute('data-col') && box.contains(focused)
      ? [focused.parentElement.getAttribute('data-phone'), focused.getAttribute('data-col')] : null;
    var first = Math.max(0, Math.floor(box.scrollTop / ROW) - 10);
    var last = Math.min(items.length, first + Math.ceil(box.clientHeight / ROW) + 20);
    space.textContent = '';
    for (var i = first; i < last; i++) {
      var r = items[i], row;
      if (typeof r[0] === 'number') {
        row = document.createElement('div');
        row.className = r[0] === 0 ? 'group' : 'sub';
        row.textContent = r[1];
      } else row = laneRow(r);
      row.style.top = i * ROW + 'px';
      space.appendChild(row);
    }
    if (keep) {
      var lanes = space.querySelectorAll('.lane');
      for (var k = 0; k < lanes.length; k++)
        if (lanes[k].getAttribute('data-phone') === keep[0]) {
          var again = lanes[k].querySelector('[data-col="' + keep[1] + '"]');
          if (again) again.focus({ preventScroll: true });
        }
    }
  }
  function apply() {
    var q = input.value.trim().toLowerCase();
    count.textContent = String(data ? applyVirtual(q) : applyStatic(q));
  }
  function covering(lane, col) {
    var cells = lane.querySelectorAll('[data-col]');
    for (var i = cells.length - 1; i >= 0; i--) if (+cells[i].getAttribute('data-col') <= col) return cells[i];
    return null;
  }
  document.addEventListener('keydown', function (e) {
    var cell = document.activeElement;
    if (!cell || !cell.hasAttribute || !cell.hasAttribute('data-col')) return;
    var lane = cell.parentElement, target = null;
    if (e.key === 'ArrowRight') target = cell.nextElementSibling;
    else if (e.key === 'ArrowLeft') target = cell.previousElementSibling;
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      var down = e.key === 'ArrowDown';
      var lanes = Array.prototype.filter.call(lane.parentElement.closest('.grid').querySelectorAll('.lane:not(.head)'), function (l) {
        return l.offsetParent !== null;
      });
      var next = lanes[lanes.indexOf(lane) + (down ? 1 : -1)];
      if (next) target = covering(next, +cell.getAttribute('data-col'));
      if (!target && data && box.contains(cell)) { box.scrollTop += down ? ROW : -ROW; }
    }
    if (target && target.hasAttribute('data-col')) { e.preventDefault(); target.focus(); }
  });
  document.addEventListener('focusin', function (e) {
    var t = e.target;
    if (t && t.hasAttribute && t.hasAttribute('data-col')) detail.textContent = t.getAttribute('title');
  });
  if (data)
    box.addEventListener('scroll', function () {
      box.previousElementSibling.scrollLeft = box.scrollLeft;
      render();
    });
  input.addEventListener('input', apply);
  apply();
})();
`;
