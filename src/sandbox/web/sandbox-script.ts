/**
 * The page's script, inlined (no build step). It polls /sandbox/api/state,
 * renders Block Kit readably and Adaptive Cards with the `adaptivecards`
 * renderer, and turns clicks into sandbox API calls, which send the signed
 * requests Slack and Teams would send. Written without template literals so
 * it can sit inside this TypeScript string.
 */
export const SANDBOX_SCRIPT = String.raw`
(function () {
  var state = null, last = {}, me = localStorage.getItem('sandbox.person') || 'mia';
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function toast(msg) { (window.sandboxToasts = window.sandboxToasts || []).push(String(msg)); var t = $('toast'); t.textContent = msg; t.style.display = 'block'; clearTimeout(toast.t); toast.t = setTimeout(function () { t.style.display = 'none'; }, 4000); }
  function api(path, body) {
    return fetch('/sandbox/api/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message || ('HTTP ' + r.status)); return j; }); })
      .then(function (j) { setTimeout(refresh, 300); return j; })
      .catch(function (err) { toast(err.message); throw err; });
  }
  // Slack mrkdwn, enough to read: *bold*, _italic_, <url|label>, entities.
  function mrkdwn(text) {
    var s = String(text || '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    s = s.replace(/&lt;([^|&]+)\|([^&]+)&gt;/g, '<a href="$1" target="_blank">$2</a>').replace(/&amp;(lt|gt|amp);/g, '&$1;');
    return s.replace(/\*([^*\n]+)\*/g, '<b>$1</b>').replace(/(^|\s)_([^_\n]+)_/g, '$1<i>$2</i>').replace(/\n/g, '<br>');
  }
  function textOf(t) { return t ? (t.type === 'plain_text' ? String(t.text).replace(/</g, '&lt;') : mrkdwn(t.text)) : ''; }
  function renderBlocks(msg) {
    var box = el('div');
    if (!msg.blocks) { var p = el('div'); p.innerHTML = mrkdwn(msg.text); box.appendChild(p); return box; }
    msg.blocks.forEach(function (b) {
      var d = el('div', { class: 'blk-' + b.type });
      if (b.type === 'header') d.innerHTML = textOf(b.text);
      else if (b.type === 'section') {
        if (b.text) d.appendChild(el('div')).innerHTML = textOf(b.text);
        if (b.fields) { var f = el('div', { class: 'blk-fields' }); b.fields.forEach(function (x) { f.appendChild(el('div')).innerHTML = textOf(x); }); d.appendChild(f); }
        if (b.accessory && b.accessory.type === 'button') b = { type: 'actions', elements: [b.accessory] };
      } else if (b.type === 'context') d.innerHTML = (b.elements || []).map(function (x) { return x.text ? textOf(x) : ''; }).join(' · ');
      else if (b.type === 'divider') d.appendChild(el('hr'));
      else if (b.type === 'rich_text') d.textContent = msg.text;
      if (b.type === 'actions') (b.elements || []).forEach(function (a) {
        if (a.type !== 'button') return;
        if (a.url) { d.appendChild(el('a', { href: a.url, target: '_blank', text: a.text.text })); return; }
        var btn = el('button', { 'data-action': a.action_id, class: a.style || '', text: a.text.text });
        btn.onclick = function () { clickSlack(msg, a.action_id); };
        d.appendChild(btn);
      });
      box.appendChild(d);
    });
    return box;
  }
  function clickSlack(msg, actionId) {
    api('slack/click', { person: me, channel: msg.channel, ts: msg.ts, actionId: actionId }).then(function (r) {
      if (r.sent.status !== 200) toast('Slack request answered ' + r.sent.status + ': ' + r.sent.body);
      if (r.view) openModal(r.view);
    });
  }
  function openModal(v) {
    var view = v.view, m = $('modal'), label = '';
    (view.blocks || []).forEach(function (b) { if (b.type === 'input' && !label) label = b.label && b.label.text; });
    $('modal-title').textContent = (view.title && view.title.text) || 'Form';
    $('modal-label').textContent = label || '';
    $('modal-text').value = '';
    $('modal-submit').textContent = (view.submit && view.submit.text) || 'Submit';
    m.returnValue = '';
    m.onclose = function () {
      if (m.returnValue !== 'submit') return;
      api('slack/submit', { person: me, viewId: v.id, text: $('modal-text').value }).then(function (r) {
        var body = r.sent.body ? JSON.parse(r.sent.body) : null;
        if (body && body.response_action === 'errors') { toast(Object.values(body.errors).join(' ')); openModal(v); }
      });
    };
    m.showModal();
  }
  function renderSlack() {
    var root = $('slack'); root.textContent = '';
    var mine = state.people.filter(function (p) { return p.key === me; })[0];
    state.slack.forEach(function (ch) {
      if (ch.dm && (!mine || ch.id !== mine.slackDm)) return;
      root.appendChild(el('h3', { text: ch.name + (ch.dm ? '' : ' (' + ch.id + ')') }));
      ch.messages.slice(-12).forEach(function (m) {
        m.channel = ch.id;
        var box = el('div', { class: 'slack-msg', 'data-ts': m.ts, 'data-channel': ch.id }, [el('div', { class: 'author', text: m.author + (m.edits ? ' (edited)' : '') })]);
        box.appendChild(renderBlocks(m));
        root.appendChild(box);
      });
    });
  }
  function renderTeams() {
    var root = $('teams'); root.textContent = '';
    var mine = state.people.filter(function (p) { return p.key === me; })[0];
    state.teams.forEach(function (conv) {
      if (conv.name.indexOf('Chat: ') === 0 && mine && conv.name !== 'Chat: ' + mine.name) return;
      root.appendChild(el('h3', { text: conv.name }));
      conv.activities.slice(-8).forEach(function (a) {
        var box = el('div', { class: 'teams-act', 'data-activity': a.id });
        if (a.text) box.appendChild(el('div', { text: String(a.text).replace(/<[^>]+>/g, '') }));
        if (a.card && window.AdaptiveCards) {
          try {
            var card = new AdaptiveCards.AdaptiveCard();
            card.onExecuteAction = function (action) {
              var verb = action.verb || (action.data && action.data.verb);
              api('teams/action', { person: me, conversationId: conv.id, activityId: a.id, verb: verb, data: action.data || {} }).then(function (r) {
                var body = r.sent.body ? JSON.parse(r.sent.body) : {};
                var v = body.value;
                toast(typeof v === 'string' ? v : (v && JSON.stringify(v).slice(0, 200)) || ('Teams answered ' + r.sent.status));
              });
            };
            card.parse(a.card);
            box.appendChild(card.render());
          } catch (err) { box.appendChild(el('pre', { text: 'card could not be rendered: ' + err.message })); }
        }
        root.appendChild(box);
      });
    });
  }
  function stripHtml(html) { var d = document.createElement('div'); d.innerHTML = html; return d.textContent; }
  function renderOdoo() {
    var root = $('odoo'); root.textContent = '';
    state.odoo.forEach(function (group) {
      root.appendChild(el('h3', { text: group.label }));
      group.records.slice().reverse().forEach(function (r) {
        var extra = Object.keys(r.extra || {}).filter(function (k) { return r.extra[k] != null && r.extra[k] !== false; }).map(function (k) { return k + ': ' + r.extra[k]; }).join(', ');
        var box = el('div', { class: 'odoo-rec', 'data-model': group.model, 'data-name': r.name }, [
          el('div', {}, [el('b', { text: r.name + ' ' }), el('span', { class: 'state', text: r.state }), ' ' + (r.partner || '') + (r.amount != null ? ' · ' + r.amount : '') + (extra ? ' · ' + extra : '')])
        ]);
        var ch = el('div', { class: 'chatter' });
        r.chatter.forEach(function (m) { ch.appendChild(el('div', { text: (m.author || '') + ': ' + stripHtml(m.body) })); });
        r.activities.forEach(function (a) { ch.appendChild(el('div', { text: 'To-do for ' + a.user + ': ' + a.summary })); });
        box.appendChild(ch);
        root.appendChild(box);
      });
    });
  }
  function renderAudit() {
    var tb = $('audit').tBodies[0]; tb.textContent = '';
    state.audit.slice().reverse().forEach(function (e) {
      tb.appendChild(el('tr', { 'data-type': e.type }, [el('td', { text: String(e.seq) }), el('td', { text: e.type }), el('td', { text: e.actor || '' }), el('td', { text: JSON.stringify(e.data).slice(0, 160) })]));
    });
  }
  function renderPeople() {
    var sel = $('person'); sel.textContent = '';
    state.people.forEach(function (p) { var o = el('option', { value: p.key, text: p.name + ' (' + p.role + ')' }); if (p.key === me) o.selected = true; sel.appendChild(o); });
    var mine = state.people.filter(function (p) { return p.key === me; })[0];
    $('person-groups').textContent = mine ? 'Odoo groups: ' + mine.groups.join(', ') : '';
  }
  function paint(key, data, fn) { var j = JSON.stringify(data) + me; if (last[key] === j) return; last[key] = j; fn(); }
  function refresh() {
    return fetch('/sandbox/api/state').then(function (r) { return r.json(); }).then(function (s) {
      state = s;
      $('clock').textContent = s.now.replace('T', ' ').slice(0, 16) + ' UTC' + (s.offsetMs ? ' (+' + Math.round(s.offsetMs / 3600000) + 'h)' : '');
      paint('people', s.people, renderPeople);
      paint('slack', s.slack, renderSlack);
      if (!document.querySelector('.teams-act input:focus, .teams-act textarea:focus')) paint('teams', s.teams, renderTeams);
      paint('odoo', s.odoo, renderOdoo);
      paint('audit', s.audit, renderAudit);
      document.body.setAttribute('data-ready', 'true');
    });
  }
  $('person').onchange = function (e) { me = e.target.value; localStorage.setItem('sandbox.person', me); last = {}; refresh(); };
  $('ff-go').onclick = function () { api('fast-forward', { hours: Number($('ff-hours').value) }).then(function (r) { toast('Clock now ' + r.now + '; ' + r.requeued + ' timer(s) due'); }); };
  $('command-send').onclick = function () {
    api('slack/command', { person: me, channel: 'C0APPROVALS', text: $('command-text').value }).then(function (r) {
      var a = $('command-answer'); a.hidden = false;
      var body = r.answer ? r.answer.body : r.sent.body;
      a.textContent = typeof body === 'string' ? body : (body.text || '') + '\n' + (body.blocks ? body.blocks.map(function (b) { return b.text ? b.text.text : (b.elements || []).map(function (x) { return x.text || ''; }).join(' '); }).join('\n') : '');
    });
  };
  document.querySelectorAll('[data-new]').forEach(function (b) { b.onclick = function () { api('odoo/new', { kind: b.getAttribute('data-new') }); }; });
  refresh(); setInterval(refresh, 1500);
})();
`;
