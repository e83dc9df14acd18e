// Poking the sandbox: fire an action, add or remove a fault rule, load a scenario. Each form
// shows the YAML a scenario file would hold for it, and sends exactly that text.
import {h, append, clear, icon, toast, formatRunTime} from '/web/ui.js';
import {control} from '/web/console-app.js';

// A YAML scalar, quoted when plain style could be read as something else.
export function scalar(value) {
  const text = String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return text;
  if (text === '' || /^[\s]|[\s]$|[:#,[\]{}&*!|>'"%@`?]|^-|^(true|false|null|yes|no|on|off|~)$/i.test(text) || /^[\d.+-]/.test(text) && !/^\d+(\.\d+)?(ms|s|m|h)$/.test(text)) {
    return JSON.stringify(text);
  }
  return text;
}

// `{ key: value, … }` of the pairs whose value is set.
export function flow(pairs) {
  const set = pairs.filter(([, value]) => value !== '' && value !== undefined && value !== null);
  return set.length ? `{ ${set.map(([key, value]) => `${key}: ${value && typeof value === 'object' ? value.yaml : scalar(value)}`).join(', ')} }` : '{}';
}
const nested = (pairs) => (pairs.some(([, v]) => v !== '' && v !== undefined) ? {yaml: flow(pairs)} : '');

const MEDIA = ['truncatedJPEG', 'corruptEntropy', 'missingBoundary', 'wrongBoundary', 'lyingContentLength', 'chunked', 'quotedBoundary', 'lfOnly', 'duplicateFrames', 'staleFrames'];
const TYPES = ['motion', 'person', 'vehicle', 'pet', 'face', 'audio'];
const STATES = ['offline', 'online', 'frozen', 'black', 'noSignal'];
const FAULTS = [
  ['status', 'Status code', [['code', 'Status', '503'], ['body', 'Body (optional)', '']]],
  ['latency', 'Latency', [['latency', 'Delay', '2s'], ['jitter', 'Jitter (optional)', '']]],
  ['reset', 'TCP reset', []], ['stall', 'Stall', [['stall', 'Stall for', '5s']]],
  ['bandwidth', 'Bandwidth', [['bandwidth', 'Rate', '64KB/s']]],
  ['closeAfterFrames', 'Close after frames', [['closeAfterFrames', 'Frames', '25']]],
  ['closeAfterBytes', 'Close after bytes', [['closeAfterBytes', 'Bytes', '1000']]],
  ['media', 'Media fault', [['media', 'Fault', MEDIA]]],
];

// A labelled field; `options` makes a select.
function field(id, label, value, options) {
  const input = options
    ? h('select', {id}, options.map((option) => (Array.isArray(option) ? h('option', {value: option[0], text: option[1]}) : h('option', {value: option, text: option}))))
    : h('input', {id, value, autocomplete: 'off', spellcheck: 'false'});
  if (options && value) input.value = value;
  return {input, element: h('div', {class: 'field'}, h('label', {for: id, text: label}), input)};
}

// The fault keys of a rule or a network step, as YAML pairs.
function faultPairs(kind, values) {
  switch (kind) {
    case 'status': return [['status', Number(values.code) || values.code], ['body', values.body]];
    case 'latency': return [['latency', values.latency], ['jitter', values.jitter]];
    case 'reset': return [['reset', true]];
    case 'media': return [['media', values.media]];
    default: return [[kind, /^\d+$/.test(values[kind]) ? Number(values[kind]) : values[kind]]];
  }
}

function faultFields(prefix, onChange) {
  const kind = field(`${prefix}-fault`, 'Fault', 'status', FAULTS.map(([key, label]) => [key, label]));
  const box = h('div', {class: 'row'});
  const values = {};
  const build = () => {
    clear(box);
    for (const key of Object.keys(values)) delete values[key];
    const [, , specs] = FAULTS.find(([key]) => key === kind.input.value);
    for (const [key, label, preset] of specs) {
      const made = field(`${prefix}-${key}`, label, Array.isArray(preset) ? preset[0] : preset, Array.isArray(preset) ? preset : null);
      made.input.addEventListener('input', onChange);
      values[key] = made.input;
      box.append(made.element);
    }
    onChange();
  };
  kind.input.addEventListener('change', build);
  return {elements: [kind.element, box], build,
    pairs: () => faultPairs(kind.input.value, Object.fromEntries(Object.entries(values).map(([k, input]) => [k, input.value.trim()])))};
}

function yamlPreview(id) {
  return h('pre', {class: 'yaml', id, 'aria-label': 'The YAML this sends', tabindex: '0'});
}

export function pokePanel(root, cameras) {
  const tabs = h('div', {class: 'seg', role: 'tablist', 'aria-label': 'What to do'});
  const panes = {};
  const show = (name) => {
    for (const tab of tabs.children) tab.setAttribute('aria-selected', String(tab.dataset.pane === name));
    for (const [key, pane] of Object.entries(panes)) pane.hidden = key !== name;
  };
  for (const [name, label] of [['action', 'Action'], ['rule', 'Rule'], ['load', 'Scenario']]) {
    tabs.append(h('button', {role: 'tab', id: `tab-${name}`, 'data-pane': name, 'aria-controls': `pane-${name}`, onclick: () => show(name)}, label));
  }
  const cameraSelects = [];
  const cameraField = (id, label) => {
    const made = field(id, label, '', []);
    cameraSelects.push(made.input);
    return made;
  };
  panes.action = actionPane(cameraField);
  panes.rule = rulePane(cameraField);
  panes.load = loadPane();
  append(root, [h('header', {}, h('h2', {id: 'poke-title', text: 'Poke the sandbox'}), tabs), panes.action, panes.rule, panes.load]);
  show('action');
  document.addEventListener('decoy-cameras', () => {
    for (const select of cameraSelects.filter((element) => element.isConnected)) {
      const keep = select.value;
      const any = select.dataset.any;
      clear(select);
      if (any) select.append(h('option', {value: '', text: any}));
      for (const camera of cameras) select.append(h('option', {value: camera.name, text: camera.name}));
      if (keep) select.value = keep;
      select.dispatchEvent(new Event('input'));
    }
  });
}

function actionPane(cameraField) {
  const pane = h('form', {class: 'pane', id: 'pane-action', role: 'tabpanel', 'aria-labelledby': 'tab-action'});
  const kind = field('action-kind', 'Action', 'motion', [['motion', 'Motion event'], ['camera', 'Camera state'], ['revoke', 'Revoke tokens'],
    ['failLogins', 'Fail logins'], ['restart', 'Restart the web server'], ['network', 'Network fault for a while'], ['media', 'Media fault for a while'],
    ['battery', 'Battery'], ['storage', 'Storage'], ['log', 'Log line']]);
  const box = h('div', {});
  const yaml = yamlPreview('action-yaml');
  const result = h('p', {class: 'small result', role: 'status'});
  let text = () => '';
  const update = () => { yaml.textContent = text(); };
  const build = () => {
    clear(box);
    const add = (made) => { made.input.addEventListener('input', update); made.input.addEventListener('change', update); box.append(made.element); return made.input; };
    const row = (...made) => { const r = h('div', {class: 'row'}); box.append(r); for (const m of made) { m.input.addEventListener('input', update); m.input.addEventListener('change', update); r.append(m.element); } return made.map((m) => m.input); };
    switch (kind.input.value) {
      case 'motion': {
        const [camera, type, duration] = row(cameraField('action-camera', 'Camera'), field('action-type', 'Type', 'motion', TYPES), field('action-duration', 'Duration', '4s'));
        text = () => `motion: ${flow([['camera', camera.value], ['type', type.value], ['duration', duration.value.trim()]])}`;
        break;
      }
      case 'camera': {
        const [camera, state] = row(cameraField('action-camera', 'Camera'), field('action-state', 'State', 'offline', STATES));
        const [resolution, fps] = row(field('action-resolution', 'Resolution (optional)', ''), field('action-fps', 'Frames per second (optional)', ''));
        text = () => `camera: ${flow([['camera', camera.value], ['state', state.value], ['resolution', resolution.value.trim()], ['fps', fps.value.trim() ? Number(fps.value) : '']])}`;
        break;
      }
      case 'revoke': {
        const user = add(field('action-user', 'User (empty: every user)', ''));
        text = () => `auth: ${flow([['revokeTokens', user.value.trim() || 'all']])}`;
        break;
      }
      case 'failLogins': {
        const count = add(field('action-count', 'How many logins fail', '3'));
        text = () => `auth: ${flow([['failLogins', Number(count.value) || count.value]])}`;
        break;
      }
      case 'restart': text = () => 'restart: {}'; break;
      case 'network': {
        const [path, duration] = row(field('action-path', 'Path (optional, * globs)', ''), field('action-for', 'For', '10s'));
        const fault = faultFields('action-net', update);
        box.append(...fault.elements);
        fault.build();
        text = () => `network: ${flow([['for', duration.value.trim()], ...fault.pairs(), ['match', nested([['path', path.value.trim()]])]])}`;
        break;
      }
      case 'media': {
        const [fault, camera, duration] = row(field('action-media', 'Fault', MEDIA[0], MEDIA), cameraField('action-camera', 'Camera'), field('action-for', 'For', '10s'));
        text = () => `media: ${flow([['for', duration.value.trim()], ['fault', fault.value], ['match', nested([['camera', camera.value]])]])}`;
        break;
      }
      case 'battery': {
        const [level, charging] = row(field('action-level', 'Level (%)', '15'), field('action-charging', 'Charging', 'false', [['false', 'Discharging'], ['true', 'Charging']]));
        text = () => `battery: ${flow([['level', Number(level.value)], ['charging', charging.value === 'true']])}`;
        break;
      }
      case 'storage': {
        const full = add(field('action-full', 'Storage', 'true', [['true', 'Full'], ['false', 'Real readings']]));
        text = () => `storage: ${flow([['full', full.value === 'true']])}`;
        break;
      }
      default: {
        const line = add(field('action-log', 'Text', 'phase two'));
        text = () => `log: ${scalar(line.value)}`;
      }
    }
    document.dispatchEvent(new Event('decoy-cameras'));
    update();
  };
  kind.input.addEventListener('change', build);
  pane.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.textContent = '';
    try {
      const answer = await control.post('/actions', yaml.textContent);
      result.className = 'small result ok-text';
      result.textContent = `Done: ${answer.performed} at ${formatRunTime(answer.milliseconds)}`;
    } catch (error) {
      result.className = 'small result error-text';
      result.textContent = error.message;
    }
  });
  append(pane, [kind.element, box, h('div', {class: 'subhead'}, h('h3', {text: 'Sends'})), yaml,
    h('div', {class: 'row-actions flush'}, h('button', {class: 'primary', type: 'submit', id: 'action-fire'}, icon('bolt'), 'Fire')), result]);
  build();
  return pane;
}

function rulePane(cameraField) {
  const pane = h('div', {class: 'pane', id: 'pane-rule', role: 'tabpanel', 'aria-labelledby': 'tab-rule'});
  const form = h('form', {});
  const yaml = yamlPreview('rule-yaml');
  const update = () => { yaml.textContent = text(); };
  const name = field('rule-name', 'Name (optional)', '');
  const path = field('rule-path', 'Path (* globs)', '/api/v1/get_cam_list');
  const camera = cameraField('rule-camera', 'Camera');
  camera.input.dataset.any = 'Any camera';
  const client = field('rule-client', 'Client (optional)', '');
  const duration = field('rule-for', 'For (optional)', '');
  const probability = field('rule-probability', 'Probability (optional)', '');
  const fault = faultFields('rule', update);
  const text = () => [
    name.input.value.trim() ? `name: ${scalar(name.input.value.trim())}` : null,
    `match: ${flow([['path', path.input.value.trim()], ['camera', camera.input.value], ['client', client.input.value.trim()]])}`,
    ...fault.pairs().filter(([, v]) => v !== '' && v !== undefined).map(([k, v]) => `${k}: ${scalar(v)}`),
    duration.input.value.trim() ? `for: ${scalar(duration.input.value.trim())}` : null,
    probability.input.value.trim() ? `probability: ${Number(probability.input.value) || probability.input.value}` : null,
  ].filter(Boolean).join('\n');
  for (const made of [name, path, camera, client, duration, probability]) {
    made.input.addEventListener('input', update);
    made.input.addEventListener('change', update);
  }
  const result = h('p', {class: 'small result', role: 'status'});
  const rules = h('ul', {class: 'rules', id: 'rules', 'aria-label': 'Rules in force'});
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.textContent = '';
    try {
      const answer = await control.post('/rules', yaml.textContent);
      result.className = 'small result ok-text';
      result.textContent = `Rule ${answer.rule.id} added: ${answer.rule.fault}`;
      refresh();
    } catch (error) {
      result.className = 'small result error-text';
      result.textContent = error.message;
    }
  });
  async function refresh() {
    try {
      const answer = await control.get('/rules');
      clear(rules);
      if (!answer.rules.length) rules.append(h('li', {class: 'muted small', text: 'No rules in force.'}));
      for (const rule of answer.rules) {
        const match = Object.entries(rule.match).map(([k, v]) => `${k} ${v}`).join(', ') || 'every request';
        rules.append(h('li', {'data-rule': rule.id},
          h('span', {class: 'rule-text'}, h('strong', {text: rule.name || `rule ${rule.id}`}), h('span', {class: 'badge', text: rule.origin}),
            h('span', {class: 'muted small block', text: `${rule.fault} · ${match}${rule.untilMilliseconds ? ` · until ${formatRunTime(rule.untilMilliseconds)}` : ''}`})),
          rule.origin === 'control' ? h('button', {class: 'ghost icon-only', 'aria-label': `Remove rule ${rule.id}`, title: 'Remove', onclick: async () => {
            try { await control.remove(`/rules/${rule.id}`); refresh(); } catch (error) { toast(error.message, 'bad'); }
          }}, icon('trash')) : null));
      }
    } catch (error) { toast(error.message, 'bad'); }
  }
  append(form, [h('div', {class: 'row'}, name.element, path.element), h('div', {class: 'row'}, camera.element, client.element),
    ...fault.elements, h('div', {class: 'row'}, duration.element, probability.element),
    h('div', {class: 'subhead'}, h('h3', {text: 'Sends'})), yaml,
    h('div', {class: 'row-actions flush'}, h('button', {class: 'primary', type: 'submit', id: 'rule-add'}, icon('plus'), 'Add rule')), result]);
  append(pane, [form, h('div', {class: 'subhead'}, h('h3', {text: 'Rules in force'}),
    h('button', {class: 'ghost icon-only', 'aria-label': 'Reload rules', onclick: refresh}, icon('refresh'))), rules]);
  fault.build();
  refresh();
  setInterval(() => { if (!document.hidden && !pane.hidden) refresh(); }, 3000);
  return pane;
}

function loadPane() {
  const pane = h('form', {class: 'pane', id: 'pane-load', role: 'tabpanel', 'aria-labelledby': 'tab-load'});
  const file = h('input', {type: 'file', id: 'scenario-file', accept: '.yaml,.yml,text/yaml'});
  const text = h('textarea', {id: 'scenario-text', rows: '12', spellcheck: 'false', placeholder: 'name: my-scenario\nduration: 30s\ntimeline:\n  - at: 3s\n    motion: { camera: Doorbell, type: person }'});
  const result = h('p', {class: 'small result', role: 'status'});
  let fileName = 'scenario.yaml';
  file.addEventListener('change', async () => {
    if (!file.files.length) return;
    fileName = file.files[0].name;
    text.value = await file.files[0].text();
  });
  pane.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.textContent = '';
    try {
      const answer = await control.post(`/scenario?file=${encodeURIComponent(fileName)}`, text.value);
      result.className = 'small result ok-text';
      result.textContent = [`Loaded ${answer.status.name}: start it above.`, ...answer.warnings].join(' ');
    } catch (error) {
      result.className = 'small result error-text';
      result.textContent = error.message;
    }
  });
  append(pane, [h('div', {class: 'field'}, h('label', {for: 'scenario-file', text: 'Scenario file'}), file),
    h('div', {class: 'field'}, h('label', {for: 'scenario-text', text: 'or its text'}), text),
    h('div', {class: 'row-actions flush'}, h('button', {class: 'primary', type: 'submit', id: 'scenario-load'}, icon('upload'), 'Load')), result]);
  return pane;
}
