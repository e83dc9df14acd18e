// The journal, live: requests, stream sessions and steps as Decoy records them, newest on top,
// filtered by the server (/events/journal?client=&path=&status=&fault=&kind=).
import {h, append, clear, icon, toast, confirmDialog, formatRunTime, formatBytes} from '/web/ui.js';
import {control, reportStream} from '/web/console-app.js';

const ROWS = 400;
const FILTERS = [['client', 'Client', '127.0.0.1'], ['path', 'Path', '/api/v1/*'], ['status', 'Status', '503 or 5xx'], ['fault', 'Fault', '* = any fault']];

export function journalPanel(root) {
  const inputs = {};
  const form = h('form', {class: 'journal-filters', 'aria-label': 'Journal filters', onsubmit: (event) => { event.preventDefault(); connect(); }});
  for (const [key, label, placeholder] of FILTERS) {
    inputs[key] = h('input', {id: `filter-${key}`, name: key, placeholder, autocomplete: 'off', spellcheck: 'false'});
    form.append(h('div', {class: 'field'}, h('label', {for: `filter-${key}`, text: label}), inputs[key]));
  }
  inputs.kind = h('select', {id: 'filter-kind', name: 'kind'}, [['', 'Everything'], ['request', 'Requests'], ['stream', 'Streams'], ['step', 'Steps']]
    .map(([value, text]) => h('option', {value, text})));
  form.append(h('div', {class: 'field'}, h('label', {for: 'filter-kind', text: 'Kind'}), inputs.kind),
    h('button', {type: 'submit', class: 'primary'}, 'Apply'));
  for (const input of Object.values(inputs)) input.addEventListener('change', () => connect());

  const body = h('tbody', {id: 'journal-rows', 'aria-live': 'off'});
  const count = h('span', {class: 'muted small', id: 'journal-count'});
  let paused = false;
  let held = [];
  const pause = h('button', {'aria-pressed': 'false', id: 'journal-pause', onclick: () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.lastChild.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) { held.forEach(add); held = []; }
  }}, icon('pause'), h('span', {text: 'Pause'}));
  append(root, [
    h('header', {}, h('div', {class: 'title-line'}, h('h2', {id: 'journal-title', text: 'Journal'}), count),
      h('div', {class: 'row-actions'}, pause,
        h('button', {onclick: async () => {
          if (!(await confirmDialog('Empty the journal? Expectations are judged on what it holds.', 'Empty'))) return;
          try { await control.remove('/journal'); clear(body); shown = 0; updateCount(); } catch (error) { toast(error.message, 'bad'); }
        }}, icon('trash'), 'Empty'))),
    form,
    h('div', {class: 'table-wrap'}, h('table', {class: 'journal'},
      h('thead', {}, h('tr', {}, ['Time', 'Client', 'What', 'Status', 'Fault'].map((text) => h('th', {scope: 'col', text})))), body))]);

  let source = null;
  let shown = 0;
  const updateCount = () => { count.textContent = shown ? `${shown} shown${shown >= ROWS ? ' (newest)' : ''}` : ''; };

  function connect() {
    source?.close();
    clear(body);
    shown = 0;
    updateCount();
    const query = new URLSearchParams({backlog: '200'});
    for (const [key, input] of Object.entries(inputs)) if (input.value.trim()) query.set(key, input.value.trim());
    source = new EventSource(`/events/journal?${query}`);
    source.addEventListener('entry', (event) => {
      const entry = JSON.parse(event.data);
      if (paused) held.push(entry); else add(entry);
    });
    source.addEventListener('dropped', (event) => {
      const notice = JSON.parse(event.data);
      body.prepend(h('tr', {class: 'dropped'}, h('td', {colspan: '5', text: `${notice.dropped} entries not shown: ${notice.reason}`})));
    });
    source.addEventListener('open', () => reportStream('journal', true));
    source.addEventListener('error', () => {
      reportStream('journal', false);
      // A refused filter closes the stream for good: say why.
      if (source.readyState === EventSource.CLOSED) {
        fetch(`/events/journal?${query}`, {headers: {Accept: 'application/json'}}).then((r) => r.json()).then((answer) => toast(answer.error, 'bad', 6000)).catch(() => {});
      }
    });
  }

  function add(entry) {
    body.prepend(row(entry));
    shown += 1;
    while (body.children.length > ROWS) body.lastChild.remove();
    updateCount();
  }

  connect();
}

function statusBadge(status) {
  const kind = status >= 500 || status === 0 ? 'bad' : status >= 400 ? 'warn' : status >= 300 ? 'info' : 'ok';
  return h('span', {class: `badge ${kind}`, text: status === 0 ? 'reset' : String(status)});
}

function parameters(list) {
  return (list || []).filter((p) => p.name !== 'token').map((p) => `${p.name}=${p.value}`).join('&');
}

export function row(entry) {
  const time = h('td', {class: 'mono', text: formatRunTime(entry.milliseconds)});
  if (entry.step) {
    const step = entry.step;
    return h('tr', {class: 'step', 'data-kind': 'step'}, time, h('td', {class: 'muted', text: step.label === 'control' ? 'console' : 'timeline'}),
      h('td', {}, h('span', {class: 'kind'}, icon('bolt'), 'step'), ' ', h('strong', {text: step.label}), ' ', step.action),
      h('td', {}, step.failure ? h('span', {class: 'badge bad', text: 'failed'}) : h('span', {class: 'badge ok', text: 'done'})),
      h('td', {class: 'error-text small', text: step.failure || ''}));
  }
  if (entry.stream) {
    const stream = entry.stream;
    return h('tr', {'data-kind': 'stream'}, time, h('td', {class: 'mono', text: stream.client}),
      h('td', {}, h('span', {class: 'kind'}, icon('play'), 'stream'), ' ', h('span', {class: 'path', text: stream.path}), ' ',
        h('span', {class: 'muted small', text: `${stream.camera} ${stream.variant} · ${stream.framesSent} frames · ${formatBytes(stream.bytesSent)} · ${stream.ended}`})),
      h('td', {}, statusBadge(200)), h('td', {}, stream.fault ? h('span', {class: 'badge bad', text: stream.fault}) : ''));
  }
  const request = entry.request;
  const query = parameters(request.parameters);
  return h('tr', {'data-kind': 'request', 'data-status': request.status}, time, h('td', {class: 'mono', text: request.client}),
    h('td', {}, h('span', {class: 'method', text: request.method}), ' ', h('span', {class: 'path', text: request.path}),
      query ? h('span', {class: 'muted small', text: `?${query}`}) : null,
      request.user ? h('span', {class: 'muted small', text: ` · ${request.user}`}) : null),
    h('td', {}, statusBadge(request.status)), h('td', {}, request.fault ? h('span', {class: 'badge bad', text: request.fault}) : ''));
}
