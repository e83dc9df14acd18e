// Live pictures: the grid of tiles and one camera large with its controls. Every picture asks
// video.cgi for the size it is shown at (resolution, fps), never more: a 16-tile grid must not be
// what makes a sandbox slow.
import {h, append, clear, icon, toast, holdButton, every} from '/web/ui.js';

// Browsers keep at most 6 HTTP/1.1 connections per server and an MJPEG stream holds one for
// good, so at most this many tiles stream; the others refresh a snapshot every second.
export const STREAMED_TILES = 4;
const SNAPSHOT_MILLISECONDS = 1000;

const CAPS = {panTilt: 0x1 | 0x2, zoom: 0x4, home: 0x8, presets: 0x10, ledOn: 0x8000, ledOff: 0x10000, ledAuto: 0x20000};
const has = (camera, bit) => (camera.ptzCapabilities & bit) !== 0;

// The camera's own size (get_cam_list does not say it), learnt from one full-size snapshot and
// kept for the tab's session, so a reload asks for the stream at once.
const nativeSizes = new Map();
function nativeSize(api, camera) {
  const key = `decoy.size.${camera.id}`;
  if (!nativeSizes.has(camera.id)) {
    const known = JSON.parse(sessionStorage.getItem(key) || 'null');
    nativeSizes.set(camera.id, known ? Promise.resolve(known) : new Promise((resolve) => {
      const probe = new Image();
      probe.onload = () => {
        const size = {width: probe.naturalWidth, height: probe.naturalHeight};
        sessionStorage.setItem(key, JSON.stringify(size));
        resolve(Object.assign({url: probe.src}, size));
      };
      probe.onerror = () => { nativeSizes.delete(camera.id); resolve(null); };
      probe.src = api.snapshot(camera.id);
    }));
  }
  return nativeSizes.get(camera.id);
}

// The largest size of the camera's aspect inside `box` device pixels, sides even, never above native.
export function fittedSize(native, boxWidth, boxHeight) {
  const scale = Math.min(boxWidth / native.width, boxHeight / native.height, 1);
  const even = (value) => Math.max(16, Math.floor(value / 2) * 2);
  return `${even(native.width * scale)}x${even(native.height * scale)}`;
}

// Frames per second a grid of n tiles asks for; one picture gets the camera's own rate.
export function gridRate(count) { return count <= 1 ? undefined : count <= 4 ? 10 : 5; }

// One picture element fed by a stream or by snapshots, sized to its box.
class Picture {
  constructor(api, camera, img, {fps, streamed}) {
    Object.assign(this, {api, camera, img, fps, streamed, size: null, alive: true, timer: null, generation: 0});
    this.onState = () => {};
    img.addEventListener('load', () => this.onState('live'));
    img.addEventListener('error', () => { if (this.alive && img.getAttribute('src')) this.failed(); });
    // A hidden tab holds no stream: it keeps a still of the same size and streams again when shown.
    this.onVisibility = () => {
      if (!this.alive || !this.streamed || !this.size) return;
      this.generation += 1;
      if (document.hidden) this.img.src = this.api.snapshot(this.camera.id, this.size);
      else this.openStream();
    };
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  async start(boxWidth, boxHeight) {
    const native = await nativeSize(this.api, this.camera);
    if (!this.alive) return;
    if (!native) { this.failed(); return; }
    if (!this.img.getAttribute('src') && native.url) this.img.src = native.url; // the probe's picture, while the stream opens
    const ratio = window.devicePixelRatio || 1;
    const size = fittedSize(native, boxWidth * ratio, boxHeight * ratio);
    if (size === this.size) return;
    this.size = size;
    this.img.dataset.size = size;
    clearTimeout(this.timer);
    this.generation += 1;
    if (this.streamed) this.openStream();
    else this.refresh();
  }

  // A snapshot of the stream's size first: a browser shows an MJPEG part only once the next one
  // begins, a JPEG as soon as it is in. The stream replaces it with its first frame.
  openStream() {
    const generation = this.generation;
    this.img.addEventListener('load', () => {
      if (this.alive && generation === this.generation) this.img.src = this.api.stream(this.camera.id, this.size, this.fps);
    }, {once: true});
    this.img.src = this.api.snapshot(this.camera.id, this.size);
  }

  refresh() {
    if (!this.alive) return;
    const generation = this.generation;
    const next = new Image();
    next.onload = () => {
      if (!this.alive || generation !== this.generation) return;
      this.img.src = next.src;
      this.timer = setTimeout(() => this.refresh(), document.hidden ? 4 * SNAPSHOT_MILLISECONDS : SNAPSHOT_MILLISECONDS);
    };
    next.onerror = () => { if (generation === this.generation) this.failed(); };
    next.src = this.api.snapshot(this.camera.id, this.size);
  }

  failed() {
    this.onState('offline');
    clearTimeout(this.timer);
    this.generation += 1;
    const size = this.size;
    this.size = null;
    this.timer = setTimeout(() => { if (this.alive && size) this.retry(size); }, 3000);
  }

  retry(size) {
    this.size = size;
    if (this.streamed) this.openStream();
    else this.refresh();
  }

  stop() {
    this.alive = false;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.img.removeAttribute('src'); // closes the stream's connection
  }
}

function motionBadge() { return h('span', {class: 'badge motion', hidden: true}, icon('motion'), 'Motion'); }

export async function liveGrid(ctx) {
  const cameras = await ctx.cameras();
  let columns = localStorage.getItem('decoy.columns') || 'auto';
  const grid = h('div', {class: 'tiles', id: 'tiles'});
  const note = h('p', {class: 'muted note', id: 'grid-note'});
  const layout = h('div', {class: 'seg', role: 'group', 'aria-label': 'Columns'});
  for (const choice of ['auto', '1', '2', '3', '4']) {
    layout.append(h('button', {type: 'button', 'aria-pressed': String(choice === columns), 'data-columns': choice,
      'aria-label': choice === 'auto' ? 'Automatic layout' : `${choice} per row`, onclick: () => {
        columns = choice;
        localStorage.setItem('decoy.columns', choice);
        for (const button of layout.children) button.setAttribute('aria-pressed', String(button.dataset.columns === choice));
        arrange();
      }}, choice === 'auto' ? 'Auto' : choice));
  }
  append(ctx.main, [h('div', {class: 'toolbar'}, h('h1', {text: 'Live'}),
    h('span', {class: 'muted', text: `${cameras.length} camera${cameras.length === 1 ? '' : 's'}`}), layout), grid, note]);

  const enabled = cameras.filter((c) => c.enabled);
  const tiles = cameras.map((camera, index) => {
    const img = h('img', {alt: `Live picture of ${camera.name}`, decoding: 'async', draggable: 'false'});
    const badge = motionBadge();
    const state = h('div', {class: 'tile-state', hidden: true});
    const tile = h('a', {class: 'tile', href: `#/live/${camera.id}`, 'data-camera': camera.id, 'aria-label': `${camera.name}: open the camera`},
      img, state, h('div', {class: 'tile-bar'}, h('span', {class: 'name', text: camera.name}), badge));
    grid.append(tile);
    if (!camera.enabled) {
      state.hidden = false;
      state.textContent = 'Disabled';
      tile.classList.add('disabled');
      return {camera, tile, badge};
    }
    const streamed = enabled.indexOf(camera) < STREAMED_TILES;
    tile.dataset.streamed = String(streamed);
    const picture = new Picture(ctx.api, camera, img, {fps: gridRate(enabled.length), streamed});
    picture.onState = (value) => { state.hidden = value === 'live'; state.textContent = 'No picture'; tile.dataset.state = value; };
    return {camera, tile, badge, picture, index};
  });
  note.textContent = enabled.length > STREAMED_TILES
    ? `The first ${STREAMED_TILES} tiles stream; the others refresh every second (a browser opens at most six connections to one server).`
    : '';

  function arrange() {
    const width = grid.clientWidth || window.innerWidth;
    // A phone shows one picture a row (readable); a wide screen fits tiles of at least 170 px.
    const fit = Math.max(1, Math.floor(width / (width < 600 ? 300 : 170)));
    const count = Math.max(1, cameras.length);
    const automatic = Math.min(Math.ceil(Math.sqrt(count)), fit, 4);
    grid.style.setProperty('--columns', String(columns === 'auto' ? automatic : Math.min(Number(columns), fit)));
    requestAnimationFrame(() => {
      for (const tile of tiles) if (tile.picture) tile.picture.start(tile.tile.clientWidth, tile.tile.clientHeight);
    });
  }
  arrange();
  let resizeTimer = null;
  const observer = new ResizeObserver(() => { clearTimeout(resizeTimer); resizeTimer = setTimeout(arrange, 250); });
  observer.observe(grid);
  const unwatch = ctx.watchStatus((status) => {
    const moving = new Set(status?.motionCameras || []);
    for (const tile of tiles) tile.badge.hidden = !moving.has(tile.camera.name);
  });
  return () => {
    observer.disconnect();
    unwatch();
    for (const tile of tiles) tile.picture?.stop();
  };
}

export async function liveCamera(ctx, id) {
  const cameras = await ctx.cameras();
  const index = cameras.findIndex((c) => String(c.id) === String(id));
  if (index < 0) {
    append(ctx.main, [h('div', {class: 'card empty'}, h('h2', {text: 'No such camera'}), h('a', {href: '#/live', text: 'Back to all cameras'}))]);
    return () => {};
  }
  const camera = cameras[index];
  document.title = `${camera.name} · Decoy`;
  const api = ctx.api;
  const neighbour = (step) => cameras[(index + step + cameras.length) % cameras.length];
  const img = h('img', {id: 'live-picture', alt: `Live picture of ${camera.name}`, draggable: 'false'});
  const badge = motionBadge();
  const health = h('span', {class: 'badge warn', hidden: true});
  const stateText = h('div', {class: 'tile-state', hidden: true, text: 'No picture'});
  const stage = h('div', {class: 'stage', id: 'stage', tabindex: api.isAdmin && has(camera, CAPS.panTilt) ? '0' : null,
    'aria-label': api.isAdmin && has(camera, CAPS.panTilt) ? `${camera.name}: arrow keys pan and tilt, + and − zoom` : null},
  img, stateText, h('div', {class: 'stage-badges'}, badge, health));

  const side = h('div', {class: 'side'});
  append(ctx.main, [
    h('div', {class: 'toolbar'},
      h('a', {class: 'btn ghost', href: '#/live', 'aria-label': 'All cameras'}, icon('back'), h('span', {class: 'hide-narrow', text: 'All cameras'})),
      h('h1', {text: camera.name}),
      cameras.length > 1 ? h('div', {class: 'seg'},
        h('a', {class: 'btn ghost icon-only', href: `#/live/${neighbour(-1).id}`, 'aria-label': `Previous camera: ${neighbour(-1).name}`}, icon('back')),
        h('a', {class: 'btn ghost icon-only', href: `#/live/${neighbour(1).id}`, 'aria-label': `Next camera: ${neighbour(1).name}`}, icon('next'))) : null),
    h('div', {class: 'camera-view'}, stage, side)]);

  if (!camera.enabled) {
    stateText.hidden = false;
    stateText.textContent = 'This camera is disabled';
  }
  const picture = camera.enabled ? new Picture(api, camera, img, {fps: undefined, streamed: true}) : null;
  if (picture) picture.onState = (value) => { stateText.hidden = value === 'live'; stateText.textContent = 'No picture'; };
  const place = () => picture?.start(stage.clientWidth, stage.clientHeight);
  place();
  let resizeTimer = null;
  const observer = new ResizeObserver(() => { clearTimeout(resizeTimer); resizeTimer = setTimeout(place, 300); });
  observer.observe(stage);

  const cleanups = [() => observer.disconnect(), () => picture?.stop()];
  if (api.isAdmin) {
    side.append(...controls(api, camera, stage));
    cleanups.push(ctx.watchStatus((status) => { badge.hidden = !(status?.motionCameras || []).includes(camera.name); }));
    let alive = true;
    const pollHealth = async () => {
      try {
        const state = await api.status(camera.id);
        health.hidden = state.health === 'live' || !state.health;
        health.textContent = state.health || '';
        badge.hidden = !state.motion;
      } catch { /* the grid's poll reports errors */ }
    };
    pollHealth();
    cleanups.push(every(2000, () => alive, pollHealth), () => { alive = false; });
  } else {
    side.append(h('section', {class: 'card', id: 'guest-note'}, h('h2', {text: 'Controls'}),
      h('p', {class: 'muted', text: 'Pan, tilt, zoom, presets, the LED and motion triggers need an administrator.'})));
  }
  side.append(details(api, camera));
  return () => cleanups.forEach((cleanup) => cleanup());
}

function controls(api, camera, stage) {
  const sections = [];
  const run = (promise, done) => promise.then(() => done && toast(done, 'ok', 2000)).catch((error) => toast(error.message, 'bad'));
  const speed = 50;
  const move = (pan, tilt) => run(api.ptz(camera.id, {continuouspantiltmove: `${pan},${tilt}`}));
  const zoom = (value) => run(api.ptz(camera.id, {continuouszoommove: value}));

  if (has(camera, CAPS.panTilt) || has(camera, CAPS.zoom) || has(camera, CAPS.home)) {
    const pad = h('div', {class: 'pad', role: 'group', 'aria-label': 'Pan and tilt'});
    const direction = (name, label, pan, tilt) => holdButton({class: `pad-${name}`, id: `ptz-${name}`, 'aria-label': label, title: `${label} (hold)`},
      icon(name), () => move(pan * speed, tilt * speed), () => move(0, 0));
    if (has(camera, CAPS.panTilt)) {
      pad.append(direction('up', 'Tilt up', 0, 1), direction('left', 'Pan left', -1, 0), direction('right', 'Pan right', 1, 0), direction('down', 'Tilt down', 0, -1));
    }
    if (has(camera, CAPS.home)) {
      pad.append(h('button', {class: 'pad-home', id: 'ptz-home', 'aria-label': 'Home position', title: 'Home position',
        onclick: () => run(api.ptz(camera.id, {move: 'home'}))}, icon('home')));
    }
    const zoomRow = has(camera, CAPS.zoom) ? h('div', {class: 'zoom', role: 'group', 'aria-label': 'Zoom'},
      holdButton({id: 'ptz-zoom-out', 'aria-label': 'Zoom out', title: 'Zoom out (hold)'}, [icon('minus'), 'Zoom out'], () => zoom(-speed), () => zoom(0)),
      holdButton({id: 'ptz-zoom-in', 'aria-label': 'Zoom in', title: 'Zoom in (hold)'}, [icon('plus'), 'Zoom in'], () => zoom(speed), () => zoom(0))) : null;
    sections.push(h('section', {class: 'card', 'aria-labelledby': 'ptz-title'}, h('header', {}, h('h2', {id: 'ptz-title', text: 'Pan, tilt and zoom'}),
      h('span', {class: 'muted small', text: 'Hold to move'})), pad, zoomRow));
    if (has(camera, CAPS.panTilt)) keyboardPTZ(stage, move, zoom, speed, has(camera, CAPS.zoom));
  }

  if (has(camera, CAPS.presets)) {
    let saving = false;
    const saveToggle = h('button', {type: 'button', class: 'ghost', 'aria-pressed': 'false', id: 'preset-save', onclick: () => {
      saving = !saving;
      saveToggle.setAttribute('aria-pressed', String(saving));
      saveToggle.textContent = saving ? 'Saving: pick a slot' : 'Save current…';
    }}, 'Save current…');
    const presets = h('div', {class: 'presets', role: 'group', 'aria-label': 'Presets'});
    for (let number = 1; number <= 6; number += 1) {
      presets.append(h('button', {id: `preset-${number}`, 'aria-label': `Preset ${number}`, onclick: () => {
        if (saving) {
          run(api.ptz(camera.id, {setserverpresetno: number}), `Preset ${number} saved`);
          saveToggle.click();
        } else run(api.ptz(camera.id, {gotoserverpresetno: number}));
      }}, String(number)));
    }
    sections.push(h('section', {class: 'card', 'aria-labelledby': 'preset-title'}, h('header', {}, h('h2', {id: 'preset-title', text: 'Presets'}), saveToggle), presets));
  }

  const modes = [['off', 'L1:-0', CAPS.ledOff], ['on', 'L1:-100', CAPS.ledOn], ['auto', 'L1:-50', CAPS.ledAuto]].filter(([, , bit]) => has(camera, bit));
  if (modes.length) {
    const group = h('div', {class: 'seg', role: 'group', 'aria-labelledby': 'led-title'});
    for (const [mode, action] of modes) {
      const button = h('button', {type: 'button', id: `led-${mode}`, 'aria-pressed': 'false', onclick: () => {
        run(api.led(camera.id, action).then(() => {
          for (const other of group.children) other.setAttribute('aria-pressed', String(other === button));
        }));
      }}, mode[0].toUpperCase() + mode.slice(1));
      group.append(button);
    }
    sections.push(h('section', {class: 'card row-card'}, h('h2', {id: 'led-title'}, icon('bulb'), ' LED'), group));
  }

  sections.push(h('section', {class: 'card row-card'}, h('h2', {id: 'motion-title'}, icon('motion'), ' Motion event'),
    h('button', {id: 'trigger-motion', 'aria-describedby': 'motion-title', onclick: () => run(api.motion(camera.id), `Motion triggered on ${camera.name}`)}, icon('bolt'), 'Trigger')));
  return sections;
}

// Arrow keys on the focused picture move the camera while held; + and − zoom.
function keyboardPTZ(stage, move, zoom, speed, canZoom) {
  const vectors = {ArrowUp: [0, 1], ArrowDown: [0, -1], ArrowLeft: [-1, 0], ArrowRight: [1, 0]};
  let held = null;
  stage.addEventListener('keydown', (event) => {
    if (event.repeat) { if (vectors[event.key] || event.key === '+' || event.key === '-') event.preventDefault(); return; }
    if (vectors[event.key]) { held = event.key; move(vectors[event.key][0] * speed, vectors[event.key][1] * speed); event.preventDefault(); }
    if (canZoom && (event.key === '+' || event.key === '-')) { held = event.key; zoom(event.key === '+' ? speed : -speed); event.preventDefault(); }
  });
  const release = (event) => {
    if (!held || (event.type === 'keyup' && event.key !== held)) return;
    if (held === '+' || held === '-') zoom(0); else move(0, 0);
    held = null;
  };
  stage.addEventListener('keyup', release);
  stage.addEventListener('blur', release);
}

function details(api, camera) {
  const row = (label, value) => [h('dt', {text: label}), h('dd', {text: value})];
  const capabilities = [has(camera, CAPS.panTilt) && 'pan/tilt', has(camera, CAPS.zoom) && 'zoom', has(camera, CAPS.home) && 'home',
    has(camera, CAPS.presets) && 'presets', (has(camera, CAPS.ledOn) || has(camera, CAPS.ledAuto)) && 'LED'].filter(Boolean).join(', ') || 'none';
  return h('section', {class: 'card'}, h('header', {}, h('h2', {text: 'Camera'}),
    h('a', {class: 'btn ghost', href: api.snapshot(camera.id), target: '_blank', rel: 'noopener', download: `${camera.name}.jpg`}, icon('download'), 'Snapshot')),
  h('dl', {class: 'facts'}, row('ID', String(camera.id)), row('Controls', capabilities),
    row('Audio', camera.audioListening ? 'available' : 'none'), row('Cloud', camera.cloudAccess ? 'yes' : 'no'),
    row('Status', camera.enabled ? 'enabled' : 'disabled')));
}
