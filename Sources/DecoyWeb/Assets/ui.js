// Small DOM helpers shared by the camera page and the console. Every element is built with the
// DOM API and every text goes in through textContent: the pages run under Trusted Types, so no
// string can ever become markup.

const SVG = 'http://www.w3.org/2000/svg';

// Element builder: h('button', {class: 'primary', onclick: f, 'aria-label': 'Go'}, 'text', child, ...)
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

// Line icons (24x24 paths), drawn with createElementNS.
const ICONS = {
  grid: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  camera: 'M3 7h4l2-3h6l2 3h4v12H3zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
  events: 'M4 6h16M4 12h16M4 18h10',
  status: 'M3 12h4l3-8 4 16 3-8h4',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.5-1.5L16.8 5 14 4l-1 2h-2l-1-2-2.8 1 .3 2L6 8.5 4 8.3 3 11l2 1v0l-2 1 1 3 2-.3 1.5 1.5-.3 2 2.8 1 1-2h2l1 2 2.8-1-.3-2 1.5-1.5 2 .3 1-3z',
  up: 'M12 19V5M5 12l7-7 7 7', down: 'M12 5v14M5 12l7 7 7-7', left: 'M19 12H5M12 5l-7 7 7 7', right: 'M5 12h14M12 5l7 7-7 7',
  home: 'M3 11l9-7 9 7M5 10v10h5v-6h4v6h5V10',
  plus: 'M12 5v14M5 12h14', minus: 'M5 12h14',
  bulb: 'M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z',
  pin: 'M9 4h6l-1 6 4 3H6l4-3zM12 13v8',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  play: 'M7 4l13 8-13 8z', refresh: 'M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10', motion: 'M13 4a2 2 0 1 0 0 .1M8 21l3-7 3 3v5M7 12l3-4 4 1 3 3',
  back: 'M15 18l-6-6 6-6', next: 'M9 18l6-6-6-6', download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  bolt: 'M13 2L4 14h7l-1 8 9-12h-7z', power: 'M12 3v9M6.3 6.3a8 8 0 1 0 11.4 0',
  console: 'M4 5h16v14H4zM7 9l3 3-3 3M12 15h5', external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  pause: 'M7 5h3v14H7zM14 5h3v14h-3z', stop: 'M6 6h12v12H6z', upload: 'M12 20V9M7 14l5-5 5 5M5 4h14',
  heart: 'M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z', check: 'M5 12l5 5 9-10',
  cross: 'M6 6l12 12M18 6L6 18', clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2',
};

export function icon(name, label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  if (label) { svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', label); } else svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name] || ICONS.grid);
  svg.append(path);
  return svg;
}

// Formatting
const pad = (n, width = 2) => String(n).padStart(width, '0');

export function formatDateTime(milliseconds) {
  const d = new Date(milliseconds);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(milliseconds) {
  if (milliseconds === null || milliseconds === undefined || milliseconds < 0) return '–';
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// Run time as the journal writes it: 12.345 s.
export function formatRunTime(milliseconds) {
  return `${(milliseconds / 1000).toFixed(3)} s`;
}

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || bytes < 0) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes, unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit += 1; }
  return `${value < 10 && unit ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

// Messages
export function toast(message, kind = 'info', milliseconds = 4000) {
  let host = document.getElementById('toasts');
  if (!host) { host = h('div', {id: 'toasts', 'aria-live': 'polite'}); document.body.append(host); }
  const item = h('div', {class: `toast ${kind}`, role: kind === 'bad' ? 'alert' : 'status'}, message);
  host.append(item);
  setTimeout(() => item.remove(), milliseconds);
}

// A modal question with a default answer of "no": resolves true when confirmed.
export function confirmDialog(question, confirmLabel = 'Confirm', danger = true) {
  return new Promise((resolve) => {
    const dialog = h('dialog', {'aria-label': question});
    const finish = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    const cancel = h('button', {onclick: () => finish(false)}, 'Cancel');
    append(dialog, [h('p', {text: question}), h('div', {class: 'actions'}, cancel,
      h('button', {class: danger ? 'danger' : 'primary', onclick: () => finish(true)}, confirmLabel))]);
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// A button that acts while held: pointer down or Enter/Space starts, release or leaving stops.
export function holdButton(attributes, content, start, stop) {
  let held = false;
  const begin = (event) => {
    if (held) return;
    if (event.type === 'keydown' && ((event.key !== 'Enter' && event.key !== ' ') || event.repeat)) return;
    if (event.type === 'pointerdown' && event.button !== 0) return;
    event.preventDefault();
    held = true;
    button.setAttribute('aria-pressed', 'true');
    if (event.pointerId !== undefined) button.setPointerCapture?.(event.pointerId);
    start();
  };
  const end = (event) => {
    if (!held) return;
    if (event.type === 'keyup' && event.key !== 'Enter' && event.key !== ' ') return;
    held = false;
    button.setAttribute('aria-pressed', 'false');
    stop();
  };
  const button = h('button', Object.assign({type: 'button', 'aria-pressed': 'false'}, attributes), content);
  for (const type of ['pointerdown', 'keydown']) button.addEventListener(type, begin);
  for (const type of ['pointerup', 'pointercancel', 'lostpointercapture', 'keyup', 'blur']) button.addEventListener(type, end);
  button.addEventListener('click', (event) => event.preventDefault());
  button.addEventListener('contextmenu', (event) => event.preventDefault());
  return button;
}

// setInterval that stops itself when `alive()` turns false, and skips beats while the tab is hidden.
export function every(milliseconds, alive, beat) {
  const timer = setInterval(() => {
    if (!alive()) { clearInterval(timer); return; }
    if (!document.hidden) beat();
  }, milliseconds);
  return () => clearInterval(timer);
}
