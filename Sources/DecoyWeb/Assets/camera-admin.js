// Administrator pages: the phone's status (get_status, get_ip_addresses), the app settings that
// param.cgi changes, the logs, and restarting the web server.
import {h, append, clear, icon, toast, confirmDialog, formatBytes, formatDuration, formatDateTime, every} from '/web/ui.js';

function stat(id, label) {
  const value = h('span', {class: 'value', id, text: '–'});
  const detail = h('span', {class: 'muted small'});
  const meter = h('span', {});
  const card = h('section', {class: 'card stat', 'aria-labelledby': `${id}-label`},
    h('span', {class: 'label', id: `${id}-label`, text: label}), value, detail, h('div', {class: 'meter'}, meter));
  return {card, value, detail, meter};
}

export async function statusView(ctx) {
  const api = ctx.api;
  const cards = {
    battery: stat('status-battery', 'Battery'), storage: stat('status-storage', 'Storage free'),
    connections: stat('status-connections', 'Live connections'), uptime: stat('status-uptime', 'Uptime'),
    cpu: stat('status-cpu', 'CPU'), memory: stat('status-memory', 'Memory'),
  };
  const motion = h('p', {id: 'status-motion', class: 'muted'});
  const network = h('p', {id: 'status-network', class: 'muted'});
  const clients = h('tbody', {});
  const updated = h('span', {class: 'muted small', 'aria-live': 'polite'});
  append(ctx.main, [
    h('div', {class: 'toolbar'}, h('h1', {text: 'Status'}), updated),
    h('div', {class: 'stats'}, Object.values(cards).map((c) => c.card)),
    h('div', {class: 'two'},
      h('section', {class: 'card'}, h('header', {}, h('h2', {text: 'Activity'})), motion, network),
      h('section', {class: 'card'}, h('header', {}, h('h2', {text: 'Recent clients'})),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {text: 'Address'}), h('th', {text: 'User'}), h('th', {text: 'Last seen'}))), clients)))]);

  const meter = (card, fraction, warn) => {
    card.meter.style.width = `${Math.max(0, Math.min(100, fraction * 100))}%`;
    card.meter.classList.toggle('warn', Boolean(warn));
  };
  const show = (s) => {
    if (!s) return;
    cards.battery.value.textContent = `${s.batteryLevel}%`;
    cards.battery.detail.textContent = s.batteryStatus;
    meter(cards.battery, s.batteryLevel / 100, s.batteryLevel < 20);
    const total = s.spaceUsed + Math.max(0, s.spaceAvailable);
    cards.storage.value.textContent = s.spaceAvailable === 0 ? 'Full' : formatBytes(s.spaceAvailable);
    cards.storage.detail.textContent = `${formatBytes(s.spaceUsed)} used by recordings`;
    meter(cards.storage, total > 0 ? s.spaceUsed / total : 0, s.spaceAvailable === 0);
    cards.connections.value.textContent = String(s.liveConnections);
    cards.connections.detail.textContent = 'open video and audio streams';
    cards.uptime.value.textContent = formatDuration(s.uptime);
    cards.uptime.detail.textContent = api.serverVersion || 'web server';
    cards.cpu.value.textContent = `${s.cpuUsagePercents}%`;
    cards.cpu.detail.textContent = [s.cpuFrequencyMhz > 0 && `${s.cpuFrequencyMhz} MHz`, s.temperature >= 0 && `${s.temperature} °C`]
      .filter(Boolean).join(' · ') || 'of the host';
    meter(cards.cpu, s.cpuUsagePercents / 100, s.cpuUsagePercents > 85);
    cards.memory.value.textContent = formatBytes(s.memoryUsed);
    cards.memory.detail.textContent = `${formatBytes(s.memoryAvailable)} available · ${s.threadsUsed} threads`;
    meter(cards.memory, s.memoryUsed / Math.max(1, s.memoryUsed + s.memoryAvailable));
    motion.textContent = s.motionCameras.length ? `Motion now: ${s.motionCameras.join(', ')}` : 'No motion right now.';
    network.textContent = `Network: ${formatBytes(s.networkInBps)}/s in, ${formatBytes(s.networkOutBps)}/s out`;
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  };
  const loadClients = async () => {
    try {
      const list = await api.json('/api/v1/get_ip_addresses');
      clear(clients);
      for (const client of list.slice(0, 12)) {
        clients.append(h('tr', {}, h('td', {class: 'mono', text: client.ip}), h('td', {text: client.user}), h('td', {class: 'muted', text: formatDateTime(client.time)})));
      }
    } catch { /* shown on the next beat */ }
  };
  let alive = true;
  loadClients();
  const stopClients = every(5000, () => alive, loadClients);
  const unwatch = ctx.watchStatus(show);
  return () => { alive = false; stopClients(); unwatch(); };
}

const SWITCHES = [
  ['BackgroundMode', 'backgroundMode', 'Background mode', 'Keep the web server running when the app is in the background'],
  ['Notifications', 'notifications', 'Notifications', 'Send push notifications for motion events'],
  ['PowerSafeMode', 'powerSafeMode', 'Power-safe mode', 'Lower frame rates to save battery'],
];
const PROFILES = [['main', 'Main stream'], ['sub', 'Sub stream'], ['auto', 'Automatic']];
const LOGS = [['applog', 'App log'], ['accesslog', 'Access log'], ['eventlog', 'Event log'], ['watchdoglog', 'Watchdog log'], ['crashlog', 'Crash log']];

export async function adminView(ctx) {
  const api = ctx.api;
  const status = await api.status();
  const settings = h('section', {class: 'card', 'aria-labelledby': 'settings-title'}, h('header', {}, h('h2', {id: 'settings-title', text: 'App settings'})));
  for (const [name, key, label, help] of SWITCHES) {
    const input = h('input', {type: 'checkbox', role: 'switch', id: `setting-${name}`, checked: Boolean(status[key]), onchange: async () => {
      input.disabled = true;
      try {
        await api.setting(name, input.checked ? 'on' : 'off');
        toast(`${label} ${input.checked ? 'on' : 'off'}`, 'ok', 2000);
      } catch (error) {
        input.checked = !input.checked;
        toast(error.message, 'bad');
      }
      input.disabled = false;
    }});
    settings.append(h('label', {class: 'switch', for: `setting-${name}`}, h('span', {}, label, h('small', {text: help})), input));
  }
  const profile = h('select', {id: 'setting-StreamProfile', onchange: async () => {
    try {
      await api.setting('StreamProfile', profile.value);
      toast(`Stream profile: ${profile.value}`, 'ok', 2000);
    } catch (error) { toast(error.message, 'bad'); }
  }}, PROFILES.map(([value, label], index) => h('option', {value, text: label, selected: status.streamProfile === index})));
  settings.append(h('div', {class: 'field top-gap'}, h('label', {for: 'setting-StreamProfile', text: 'Stream profile'}), profile));

  const server = h('section', {class: 'card', 'aria-labelledby': 'server-title'}, h('header', {}, h('h2', {id: 'server-title', text: 'Web server'})),
    h('p', {class: 'muted', text: `Version: ${api.serverVersion || 'unknown'}`}),
    h('button', {class: 'danger', id: 'restart-server', onclick: async () => {
      if (!(await confirmDialog('Restart the web server? Every viewer is disconnected and every sign-in token is forgotten.', 'Restart'))) return;
      try {
        await api.restart();
        toast('Restarting; sign in again when it is back.', 'info', 6000);
      } catch (error) { toast(error.message, 'bad'); }
    }}, icon('power'), 'Restart web server'));

  let current = 'applog';
  const output = h('pre', {class: 'log', id: 'log-text', tabindex: '0', 'aria-label': 'Log text'});
  const tabs = h('div', {class: 'seg', role: 'tablist', 'aria-label': 'Logs'});
  const showLog = async (name) => {
    current = name;
    for (const tab of tabs.children) tab.setAttribute('aria-selected', String(tab.dataset.log === name));
    output.textContent = 'Loading…';
    try {
      const text = await api.log(name);
      output.textContent = text.trim() || '(empty)';
      output.scrollTop = output.scrollHeight;
    } catch (error) { output.textContent = error.message; }
  };
  for (const [name, label] of LOGS) {
    tabs.append(h('button', {role: 'tab', 'data-log': name, 'aria-selected': 'false', 'aria-controls': 'log-text', onclick: () => showLog(name)}, label));
  }
  const logs = h('section', {class: 'card', 'aria-labelledby': 'logs-title'},
    h('header', {}, h('h2', {id: 'logs-title', text: 'Logs'}), tabs,
      h('div', {class: 'row-actions'},
        h('button', {'aria-label': 'Reload log', onclick: () => showLog(current)}, icon('refresh'), 'Reload'),
        h('button', {onclick: async () => {
          if (!(await confirmDialog('Clear every log?', 'Clear'))) return;
          try { await api.command('/axis-cgi/admin/clearalllog.cgi'); showLog(current); } catch (error) { toast(error.message, 'bad'); }
        }}, icon('trash'), 'Clear all'))),
    output);
  append(ctx.main, [h('div', {class: 'toolbar'}, h('h1', {text: 'Admin'})), h('div', {class: 'two'}, settings, server), logs]);
  showLog(current);
  return () => {};
}
