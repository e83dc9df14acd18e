// Health per camera from the metrics the control API already has (/metrics, Prometheus text):
// viewers, frames sent and dropped per second, frames made per second, encode time per frame.
import {h, append, clear, formatBytes} from '/web/ui.js';

const SAMPLES = 60;
const PERIOD = 2000;
const SVG = 'http://www.w3.org/2000/svg';

// `name{a="b",c="d"} value` lines → [{name, labels, value}].
export function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const pair of (match[3] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2].replace(/\\(.)/g, '$1');
    samples.push({name: match[1], labels, value: Number(match[4])});
  }
  return samples;
}

const CHARTS = [
  ['viewers', 'Viewers', 'open MJPEG streams', (v) => String(Math.round(v))],
  ['sent', 'Sent/s', 'frames sent per second, all viewers', (v) => v.toFixed(1)],
  ['dropped', 'Dropped/s', 'frames a busy viewer missed per second', (v) => v.toFixed(1)],
  ['fps', 'Made/s', 'frames the camera made per second', (v) => v.toFixed(1)],
  ['encode', 'Encode ms', 'milliseconds of JPEG encoding per frame', (v) => v.toFixed(2)],
];

function sparkline(values) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${SAMPLES - 1} 30`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('aria-hidden', 'true');
  const top = Math.max(1e-9, ...values);
  const points = values.map((v, i) => `${i + SAMPLES - values.length},${(29 - (v / top) * 27).toFixed(2)}`).join(' ');
  const area = document.createElementNS(SVG, 'polygon');
  area.setAttribute('points', values.length ? `${SAMPLES - values.length},30 ${points} ${SAMPLES - 1},30` : '');
  area.setAttribute('class', 'spark-area');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  line.setAttribute('class', 'spark-line');
  svg.append(area, line);
  return svg;
}

export function healthPanel(root, cameras) {
  const totals = h('p', {class: 'muted small', id: 'health-totals', 'aria-live': 'off'});
  const grid = h('div', {class: 'health-grid', id: 'health-cameras'});
  append(root, [h('header', {}, h('h2', {id: 'health-title', text: 'Health'}), totals), grid]);
  const history = new Map(); // camera id → {name, series: {chart: [values]}}
  let previous = null;

  async function sample() {
    if (document.hidden) return;
    let text;
    try {
      const response = await fetch('/metrics', {cache: 'no-store'});
      text = await response.text();
    } catch { return; }
    const now = performance.now();
    const samples = parseMetrics(text);
    const byCamera = new Map();
    let requests = 0;
    const totalsNow = {};
    for (const s of samples) {
      if (s.name === 'decoy_http_requests_total') requests += s.value;
      else if (!s.labels.camera_id) totalsNow[s.name] = s.value;
      if (!s.labels.camera_id) continue;
      if (!byCamera.has(s.labels.camera_id)) byCamera.set(s.labels.camera_id, {name: s.labels.camera});
      byCamera.get(s.labels.camera_id)[s.name] = s.value;
    }
    if (cameras.length !== byCamera.size) {
      cameras.splice(0, cameras.length, ...[...byCamera].map(([id, c]) => ({id, name: c.name})));
      document.dispatchEvent(new Event('decoy-cameras'));
    }
    if (previous) {
      const seconds = (now - previous.time) / 1000;
      const rate = (now, before, name) => Math.max(0, ((now[name] || 0) - (before?.[name] || 0)) / seconds);
      for (const [id, c] of byCamera) {
        const before = previous.cameras.get(id);
        const encoded = (c.decoy_frames_encoded_total || 0) - (before?.decoy_frames_encoded_total || 0);
        const encodeSeconds = (c.decoy_encode_seconds_total || 0) - (before?.decoy_encode_seconds_total || 0);
        const values = {viewers: c.decoy_camera_active_streams || 0, sent: rate(c, before, 'decoy_frames_sent_total'),
          dropped: rate(c, before, 'decoy_frames_dropped_total'), fps: rate(c, before, 'decoy_frames_produced_total'),
          encode: encoded > 0 ? (encodeSeconds / encoded) * 1000 : 0};
        const entry = history.get(id) || {name: c.name, series: Object.fromEntries(CHARTS.map(([key]) => [key, []])), live: c.decoy_camera_live, size: ''};
        entry.live = c.decoy_camera_live;
        entry.size = `${c.decoy_camera_width_pixels}x${c.decoy_camera_height_pixels} @ ${c.decoy_camera_frames_per_second} fps`;
        for (const [key] of CHARTS) {
          entry.series[key].push(values[key]);
          if (entry.series[key].length > SAMPLES) entry.series[key].shift();
        }
        history.set(id, entry);
      }
      totals.textContent = `${(rate({r: requests}, {r: previous.requests}, 'r')).toFixed(1)} requests/s · ${totalsNow.decoy_active_streams ?? 0} open streams · `
        + `${formatBytes(rate(totalsNow, previous.totals, 'decoy_sent_bytes_total'))}/s out · ${totalsNow.decoy_journal_entries ?? 0} journal entries · `
        + `${totalsNow.decoy_fault_rules ?? 0} rule${totalsNow.decoy_fault_rules === 1 ? '' : 's'}`;
      render();
    }
    previous = {time: now, cameras: byCamera, requests, totals: totalsNow};
  }

  function render() {
    clear(grid);
    for (const [id, entry] of history) {
      const charts = CHARTS.map(([key, label, help, format]) => {
        const values = entry.series[key];
        return h('div', {class: 'chart', title: help}, h('span', {class: 'chart-label', text: label}),
          h('span', {class: 'chart-value', text: values.length ? format(values[values.length - 1]) : '–'}), sparkline(values));
      });
      grid.append(h('article', {class: 'camera-health', 'data-camera': id, 'aria-label': `Health of ${entry.name}`},
        h('header', {}, h('h3', {text: entry.name}), h('span', {class: `badge ${entry.live ? 'ok' : 'bad'}`, text: entry.live ? 'live' : 'not live'})),
        h('p', {class: 'muted small', text: entry.size}), h('div', {class: 'charts'}, charts)));
    }
  }

  sample();
  setInterval(sample, PERIOD);
}
