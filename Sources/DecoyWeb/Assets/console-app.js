// The harness console: the scenario and its verdicts, the live journal, forms that poke the
// sandbox, and per-camera health, all from the control API (/events/scenario and
// /events/journal are server-sent events; the rest is the JSON API).
import {icon, toast} from '/web/ui.js';
import {scenarioPanel} from '/web/console-scenario.js';
import {journalPanel} from '/web/console-journal.js';
import {pokePanel} from '/web/console-poke.js';
import {healthPanel} from '/web/console-health.js';

// The control API, with its JSON error bodies turned into exceptions that say what was wrong.
export const control = {
  async call(method, path, body) {
    const response = await fetch(path, {method, body, cache: 'no-store', headers: body ? {'Content-Type': 'application/yaml'} : {}});
    const text = await response.text();
    let value = null;
    try { value = text ? JSON.parse(text) : null; } catch { value = null; }
    if (!response.ok) throw new Error(value?.error || `${method} ${path} answered ${response.status}`);
    return value;
  },
  get(path) { return this.call('GET', path); },
  post(path, body) { return this.call('POST', path, body); },
  remove(path) { return this.call('DELETE', path); },
};

// Both streams' state in the top bar.
const streams = new Map();
const liveState = document.getElementById('live-state');
export function reportStream(name, open) {
  streams.set(name, open);
  const all = [...streams.values()];
  const live = all.length && all.every(Boolean);
  liveState.textContent = live ? 'Live' : 'Reconnecting…';
  liveState.className = `badge ${live ? 'ok' : 'warn'}`;
  liveState.prepend(Object.assign(document.createElement('span'), {className: 'dot'}));
}

async function linkCameraPage() {
  try {
    const health = await control.get('/healthz');
    const link = document.getElementById('camera-link');
    link.href = `${location.protocol}//${location.hostname}:${health.tinyCamPort}/`;
    link.textContent = 'Camera page';
    link.title = `The camera page on the tinyCam port, ${link.href}`;
    link.append(icon('external'));
    link.hidden = false;
  } catch (error) {
    toast(`The control API does not answer: ${error.message}`, 'bad');
  }
}

document.getElementById('logo').append(icon('console'));
const cameras = [];
scenarioPanel(document.getElementById('scenario'));
pokePanel(document.getElementById('poke'), cameras);
journalPanel(document.getElementById('journal'));
healthPanel(document.getElementById('health'), cameras);
linkCameraPage();
