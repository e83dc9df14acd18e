// The camera page: routes (#/login, #/live, #/live/<cameraId>, #/events, #/status, #/admin, as
// in the official tinyCam web client), the header, the sign-in form, and the status poll the
// live views share.
import {h, append, clear, icon, toast} from '/web/ui.js';
import {Api, AuthError} from '/web/camera-api.js';
import {liveGrid, liveCamera} from '/web/camera-live.js';
import {eventsView} from '/web/camera-events.js';
import {statusView, adminView} from '/web/camera-admin.js';

const api = new Api();
const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let unmount = () => {};
let wanted = '#/live';

const ROUTES = [
  {path: 'live', label: 'Live', icon: 'grid'},
  {path: 'events', label: 'Events', icon: 'events'},
  {path: 'status', label: 'Status', icon: 'status', admin: true},
  {path: 'admin', label: 'Admin', icon: 'settings', admin: true},
];

// One get_status poll for every view that shows motion or status (admin only: guests may not ask).
const statusWatchers = new Set();
let statusTimer = null;
let lastStatus = null;
function watchStatus(callback) {
  if (!api.isAdmin) return () => {};
  statusWatchers.add(callback);
  if (lastStatus) callback(lastStatus);
  if (!statusTimer) { pollStatus(); statusTimer = setInterval(pollStatus, 2000); }
  return () => {
    statusWatchers.delete(callback);
    if (!statusWatchers.size) { clearInterval(statusTimer); statusTimer = null; }
  };
}
async function pollStatus() {
  if (document.hidden || !api.isAdmin) return;
  try {
    lastStatus = await api.status();
    for (const callback of statusWatchers) callback(lastStatus);
  } catch (error) {
    if (!(error instanceof AuthError)) for (const callback of statusWatchers) callback(null, error);
  }
}

let cameraList = null;
async function cameras(refresh = false) {
  if (!cameraList || refresh) cameraList = await api.cameras();
  return cameraList;
}

function context(title) {
  document.title = `${title} · Decoy`;
  return {api, main, cameras, watchStatus, navigate: (hash) => { location.hash = hash; }};
}

function header(active) {
  topbar.hidden = false;
  const nav = clear(document.getElementById('nav'));
  for (const route of ROUTES) {
    if (route.admin && !api.isAdmin) continue;
    nav.append(h('a', {href: `#/${route.path}`, 'aria-current': route.path === active ? 'page' : null},
      icon(route.icon), h('span', {text: route.label})));
  }
  const who = clear(document.getElementById('who'));
  append(who, [
    h('span', {class: 'name', text: api.user}),
    h('span', {class: `badge ${api.isAdmin ? 'info' : ''}`, text: api.isAdmin ? 'Administrator' : 'Guest'}),
    h('button', {class: 'ghost icon-only', title: 'Sign out', 'aria-label': 'Sign out', onclick: () => { api.logout(); cameraList = null; location.hash = '#/login'; }}, icon('logout')),
  ]);
}

function loginView() {
  topbar.hidden = true;
  document.title = 'Sign in · Decoy';
  const error = h('p', {class: 'error-text', role: 'alert', id: 'login-error'});
  const user = h('input', {id: 'login-user', name: 'user', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false'});
  const password = h('input', {id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password'});
  const submit = h('button', {class: 'primary wide', type: 'submit', id: 'login-submit'}, 'Sign in');
  const form = h('form', {class: 'login-form', 'aria-labelledby': 'login-title', onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      await api.login(user.value.trim(), password.value);
      cameraList = null;
      location.hash = wanted && wanted !== '#/login' ? wanted : '#/live';
    } catch (failure) {
      error.textContent = failure.message;
      password.select();
    } finally {
      submit.disabled = false;
    }
  }},
  h('div', {class: 'login-logo'}, bigLogo()),
  h('h1', {id: 'login-title', text: 'Sign in'}),
  h('p', {class: 'muted', text: 'tinyCam Monitor web server, emulated by Decoy'}),
  h('div', {class: 'field'}, h('label', {for: 'login-user', text: 'User name'}), user),
  h('div', {class: 'field'}, h('label', {for: 'login-password', text: 'Password'}), password),
  error, submit);
  append(clear(main), [h('div', {class: 'login'}, form)]);
  user.focus();
  return () => {};
}

function bigLogo() {
  const mark = h('span', {class: 'logo big'});
  mark.append(icon('camera'));
  return mark;
}

function notAllowed(what) {
  append(clear(main), [h('div', {class: 'card empty'}, h('h2', {text: `${what} needs an administrator`}),
    h('p', {class: 'muted', text: 'Guests see live pictures and events. Sign in as an administrator for status, settings and logs.'}))]);
  return () => {};
}

async function route() {
  unmount();
  unmount = () => {};
  const [path, argument] = (location.hash.replace(/^#\/?/, '') || 'live').split('/');
  if (!api.signedIn) {
    if (path !== 'login') wanted = location.hash || '#/live';
    if (path !== 'login') { location.replace('#/login'); return; }
    unmount = loginView();
    return;
  }
  if (path === 'login') { location.replace('#/live'); return; }
  const known = ROUTES.find((r) => r.path === path);
  if (!known) { location.replace('#/live'); return; }
  header(path);
  clear(main);
  try {
    if (known.admin && !api.isAdmin) unmount = notAllowed(known.label);
    else if (path === 'live' && argument) unmount = await liveCamera(context('Camera'), argument);
    else if (path === 'live') unmount = await liveGrid(context('Live'));
    else if (path === 'events') unmount = await eventsView(context('Events'));
    else if (path === 'status') unmount = await statusView(context('Status'));
    else if (path === 'admin') unmount = await adminView(context('Admin'));
  } catch (error) {
    if (error instanceof AuthError) return;
    append(clear(main), [h('div', {class: 'card empty', role: 'alert'}, h('h2', {text: 'Something went wrong'}),
      h('p', {class: 'muted', text: error.message}), h('button', {onclick: route}, icon('refresh'), 'Try again'))]);
  }
  if (document.activeElement === document.body) main.focus({preventScroll: true});
}

api.onExpired = () => {
  toast('Your session ended; sign in again.', 'bad');
  wanted = location.hash;
  location.hash = '#/login';
};
document.getElementById('logo').append(icon('camera'));
window.addEventListener('hashchange', route);
// Leaving the page closes its streams at once: a browser may keep a left page's MJPEG connections
// open, and it has only six per server.
window.addEventListener('pagehide', () => { unmount(); unmount = () => {}; });
window.addEventListener('pageshow', (event) => { if (event.persisted) route(); });
route();
