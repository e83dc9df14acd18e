// Events: newest first with thumbnails, filters (camera, type, pinned), paged the way the API
// pages (each older page ends, exclusively, where the previous one stopped), and a clip player
// with pin, unpin and delete for administrators.
import {h, append, clear, icon, toast, confirmDialog, formatDateTime, formatDuration, every} from '/web/ui.js';

const PAGE = 12;
const TYPES = [['', 'All types'], ['motion', 'Motion'], ['person', 'Person'], ['vehicle', 'Vehicle'], ['pet', 'Pet'],
  ['face', 'Face'], ['audio', 'Audio'], ['pin', 'Pinned']];

// The recording path inside an event's get_file URL ("/Doorbell/2020-09-20 17.15.55 43sec person.mp4").
export function recordingPath(fileURL) {
  return new URL(fileURL, location.origin).searchParams.get('file') || '';
}

export async function eventsView(ctx) {
  const api = ctx.api;
  const cameras = await ctx.cameras();
  const state = {camera: '', filter: '', ends: [], pinned: new Set(), selected: null, events: []};
  const cameraSelect = h('select', {id: 'events-camera', onchange: () => { state.camera = cameraSelect.value; reset(); }},
    h('option', {value: '', text: 'All cameras'}), cameras.filter((c) => c.enabled).map((c) => h('option', {value: String(c.id), text: c.name})));
  const typeSelect = h('select', {id: 'events-type', onchange: () => { state.filter = typeSelect.value; reset(); }},
    TYPES.map(([value, label]) => h('option', {value, text: label})));
  const list = h('ol', {class: 'event-list', id: 'event-list', 'aria-label': 'Events, newest first', 'aria-busy': 'true'});
  const newer = h('button', {id: 'events-newer', onclick: () => { state.ends.pop(); load(); }}, icon('back'), 'Newer');
  const older = h('button', {id: 'events-older', onclick: () => { state.ends.push(state.events[state.events.length - 1].time); load(); }}, 'Older', icon('next'));
  const pageLabel = h('span', {class: 'muted', 'aria-live': 'polite'});
  const player = h('section', {class: 'card player', id: 'player-card', 'aria-label': 'Clip'});
  append(ctx.main, [
    h('div', {class: 'toolbar'}, h('h1', {text: 'Events'}),
      h('button', {class: 'icon-only refresh', 'aria-label': 'Refresh', title: 'Refresh', onclick: () => load()}, icon('refresh')),
      h('div', {class: 'filters'},
        h('div', {class: 'field'}, h('label', {for: 'events-camera', text: 'Camera'}), cameraSelect),
        h('div', {class: 'field'}, h('label', {for: 'events-type', text: 'Type'}), typeSelect))),
    h('div', {class: 'events-layout'},
      h('div', {}, list, h('div', {class: 'pager'}, newer, pageLabel, older)), player)]);
  showPlayer(null);

  function reset() { state.ends = []; load(); }

  async function load() {
    list.setAttribute('aria-busy', 'true');
    const endtime = state.ends[state.ends.length - 1];
    const query = {cameraId: state.camera || undefined, filter: state.filter || undefined, count: PAGE + 1, endtime};
    try {
      const [events, pinned] = await Promise.all([api.events(query),
        state.filter === 'pin' ? null : api.events({cameraId: state.camera || undefined, filter: 'pin', count: 1000})]);
      state.pinned = new Set((pinned || events).map((e) => e.video));
      state.events = events.slice(0, PAGE);
      render(events.length > PAGE);
    } catch (error) {
      clear(list).append(h('li', {class: 'empty error-text', role: 'alert', text: error.message}));
    }
    list.setAttribute('aria-busy', 'false');
  }

  function render(hasOlder) {
    clear(list);
    if (!state.events.length) list.append(h('li', {class: 'empty', text: state.ends.length ? 'No older events.' : 'No events yet.'}));
    for (const event of state.events) list.append(card(event));
    newer.disabled = state.ends.length === 0;
    older.disabled = !hasOlder;
    pageLabel.textContent = `Page ${state.ends.length + 1}`;
    if (state.selected && !state.events.some((e) => e.video === state.selected.video) && state.ends.length === 0) showPlayer(null);
  }

  function card(event) {
    const path = recordingPath(event.video);
    const camera = path.split('/')[1] || '';
    const pinned = state.pinned.has(event.video);
    const thumbnail = event.image
      ? h('img', {src: api.file(event.image), alt: '', loading: 'lazy', decoding: 'async'})
      : h('span', {class: 'no-thumb'}, icon('camera'));
    const type = event.motion || 'event';
    const selected = state.selected?.video === event.video;
    return h('li', {}, h('button', {class: 'event', 'aria-pressed': String(selected), 'data-time': event.time,
      'aria-label': `${type} on ${camera}, ${formatDateTime(event.time)}, ${formatDuration(event.duration)}${pinned ? ', pinned' : ''}`,
      onclick: () => showPlayer(event)},
    h('span', {class: 'thumb'}, thumbnail, h('span', {class: 'duration', text: formatDuration(event.duration)})),
    h('span', {class: 'event-text'},
      h('span', {class: 'event-title'}, h('span', {class: `badge type-${type}`, text: type}), pinned ? h('span', {class: 'badge warn'}, icon('pin'), 'Pinned') : null),
      h('span', {class: 'event-camera', text: camera}),
      h('time', {class: 'muted', datetime: new Date(event.time).toISOString(), text: formatDateTime(event.time)}))));
  }

  function showPlayer(event) {
    state.selected = event;
    for (const button of list.querySelectorAll('button.event')) button.setAttribute('aria-pressed', String(Number(button.dataset.time) === event?.time));
    const old = player.querySelector('video');
    if (old) { old.pause(); old.removeAttribute('src'); old.load(); }
    clear(player);
    player.classList.toggle('idle', !event);
    if (!event) {
      append(player, [h('div', {class: 'empty'}, icon('play'), h('p', {text: 'Choose an event to play its clip.'}))]);
      return;
    }
    const path = recordingPath(event.video);
    const camera = path.split('/')[1] || '';
    const video = h('video', {id: 'clip', controls: true, preload: 'auto', playsinline: true, muted: true, src: api.file(event.video),
      'aria-label': `Clip: ${event.motion || 'event'} on ${camera}`});
    video.muted = true;
    const pinned = state.pinned.has(event.video);
    const actions = h('div', {class: 'row-actions'},
      h('a', {class: 'btn', href: api.file(event.video), download: path.split('/').pop()}, icon('download'), 'Download'));
    if (api.isAdmin) {
      actions.append(
        h('button', {id: 'clip-pin', onclick: () => act(pinned ? 'unpin' : 'pin', event)}, icon('pin'), pinned ? 'Unpin' : 'Pin'),
        h('button', {class: 'danger', id: 'clip-delete', onclick: async () => {
          if (await confirmDialog(`Delete this ${event.motion || 'event'} clip from ${formatDateTime(event.time)}?`, 'Delete')) act('delete', event);
        }}, icon('trash'), 'Delete'));
    }
    append(player, [video, h('div', {class: 'player-text'},
      h('h2', {}, h('span', {class: `badge type-${event.motion || 'event'}`, text: event.motion || 'event'}), ' ', camera),
      h('p', {class: 'muted', text: `${formatDateTime(event.time)} · ${formatDuration(event.duration)}`})), actions]);
    video.play().catch(() => {});
  }

  async function act(action, event) {
    try {
      await api.recording(action, recordingPath(event.video));
      toast({pin: 'Pinned', unpin: 'Unpinned', delete: 'Deleted'}[action], 'ok', 2000);
      if (action === 'delete') showPlayer(null);
      await load();
      if (action !== 'delete') showPlayer(state.events.find((e) => e.video === event.video) || event);
    } catch (error) {
      toast(error.message, 'bad');
    }
  }

  await load();
  // The newest page follows new events (every 10 s, like a client polling the list).
  let alive = true;
  const stopPolling = every(10000, () => alive, () => { if (!state.ends.length) load(); });
  return () => {
    alive = false;
    stopPolling();
    const video = player.querySelector('video');
    if (video) { video.pause(); video.removeAttribute('src'); video.load(); }
  };
}
