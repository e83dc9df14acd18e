// The tinyCam API as the page uses it: a token from /api/v1/login, then `token=` on every call,
// exactly like the official web client. Nothing here is private to Decoy.

export class AuthError extends Error {}

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

const KEY = 'decoy.session';

export class Api {
  constructor() {
    const saved = JSON.parse(localStorage.getItem(KEY) || 'null');
    this.session = saved && saved.token ? saved : null;
    this.serverVersion = '';
    this.onExpired = () => {};
  }

  get signedIn() { return Boolean(this.session); }
  get isAdmin() { return this.session?.access === 'admin'; }
  get user() { return this.session?.user || ''; }

  // GET /api/v1/login?user=&pwd= → {"data":{"token","access"}}
  async login(user, password) {
    const response = await fetch(this.url('/api/v1/login', {user, pwd: password}, false), {cache: 'no-store'});
    const text = await response.text();
    if (!response.ok) throw new ApiError(response.status, response.status === 403 || response.status === 401
      ? 'Wrong user name or password.' : errorText(text, response.status));
    const data = JSON.parse(text).data;
    this.session = {token: data.token, access: data.access, user};
    localStorage.setItem(KEY, JSON.stringify(this.session));
    this.serverVersion = response.headers.get('Server') || '';
  }

  logout() {
    if (this.session) fetch(this.url('/api/v1/logout')).catch(() => {});
    this.session = null;
    localStorage.removeItem(KEY);
  }

  // A same-origin URL with the parameters and the token.
  url(path, parameters = {}, withToken = true) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== null && value !== '') query.set(name, value);
    if (withToken && this.session) query.set('token', this.session.token);
    const text = query.toString();
    return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
  }

  async request(path, parameters) {
    let response;
    try {
      response = await fetch(this.url(path, parameters), {cache: 'no-store'});
    } catch (error) {
      throw new ApiError(0, 'The server does not answer (restarting, or gone).');
    }
    this.serverVersion = response.headers.get('Server') || this.serverVersion;
    const text = await response.text();
    // tinyCam's errors are text such as "HTTP 403. Invalid token." (some builds with status 200).
    const legacy = /^HTTP (\d{3})\. /.exec(text);
    const status = legacy ? Number(legacy[1]) : response.status;
    if (status === 401 || (status === 403 && /Invalid token/.test(text))) {
      this.session = null;
      localStorage.removeItem(KEY);
      this.onExpired();
      throw new AuthError('Your session ended; sign in again.');
    }
    if (status >= 400) throw new ApiError(status, errorText(text, status));
    return text;
  }

  async json(path, parameters) {
    const text = await this.request(path, parameters);
    return JSON.parse(text).data;
  }

  // Command CGIs answer an empty 200 (or 204).
  command(path, parameters) { return this.request(path, parameters); }

  cameras() { return this.json('/api/v1/get_cam_list'); }
  status(cameraId) { return this.json('/api/v1/get_status', {cameraId}); }
  events(parameters) { return this.json('/api/v1/get_cam_event_list', parameters); }
  ptz(cameraId, parameters) { return this.command('/axis-cgi/com/ptz.cgi', Object.assign({cameraId}, parameters)); }
  led(cameraId, action) { return this.command('/axis-cgi/io/lightcontrol.cgi', {cameraId, action}); }
  setting(name, value) { return this.command('/param.cgi', {action: 'update', [`root.${name}`]: value}); }
  recording(action, file) { return this.command('/param.cgi', {action, 'root.Filename': file}); }
  motion(cameraId) { return this.command('/axis-cgi/motion/createmotion.cgi', {cameraId}); }
  log(name) { return this.request(`/axis-cgi/admin/${name}.cgi`); }
  restart() { return this.command('/axis-cgi/admin/restart.cgi'); }

  // Picture URLs (the browser fetches them itself; the token rides in the query).
  stream(cameraId, size, fps) { return this.url('/axis-cgi/mjpg/video.cgi', {cameraId, resolution: size, fps}); }
  snapshot(cameraId, size) { return this.url('/axis-cgi/jpg/image.cgi', {cameraId, resolution: size, _: Date.now()}); }
  file(relative) { return this.url(relative); }
}

function errorText(text, status) {
  const trimmed = (text || '').trim();
  if (!trimmed) return `The server answered ${status}.`;
  return trimmed.replace(/^HTTP \d{3}\. /, '').slice(0, 300);
}
