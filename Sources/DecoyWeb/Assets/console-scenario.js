// The scenario: its phase and clock, the timeline around now (fired steps with their time and
// failure, planned ones to come), and each expectation's live verdict with its evidence.
import {h, append, clear, icon, toast, formatRunTime} from '/web/ui.js';
import {control, reportStream} from '/web/console-app.js';

const PHASES = {empty: '', loaded: 'info', running: 'ok', paused: 'warn', stopped: '', finished: ''};

export function scenarioPanel(root) {
  const title = h('h2', {id: 'scenario-title', text: 'Scenario'});
  const phase = h('span', {class: 'badge', id: 'scenario-phase'});
  const name = h('span', {class: 'scenario-name', id: 'scenario-name'});
  const buttons = {};
  const command = (verb) => async () => {
    try { await control.post(`/scenario/${verb}`); } catch (error) { toast(error.message, 'bad', 6000); }
  };
  const commands = h('div', {class: 'row-actions', role: 'group', 'aria-label': 'Scenario commands'});
  for (const [verb, label, glyph] of [['start', 'Start', 'play'], ['pause', 'Pause', 'pause'], ['resume', 'Resume', 'play'], ['stop', 'Stop', 'stop']]) {
    buttons[verb] = h('button', {id: `scenario-${verb}`, onclick: command(verb)}, icon(glyph), label);
    commands.append(buttons[verb]);
  }
  const description = h('p', {class: 'muted description'});
  const clock = h('span', {class: 'mono', id: 'scenario-clock'});
  const bar = h('span', {});
  const progress = h('div', {class: 'progress', role: 'progressbar', 'aria-label': 'Scenario time', 'aria-valuemin': '0'}, bar);
  const timeline = h('ol', {class: 'timeline', id: 'timeline', 'aria-label': 'Timeline'});
  const verdicts = h('ul', {class: 'verdicts', id: 'expectations', 'aria-label': 'Expectations'});
  const summary = h('span', {class: 'muted small', id: 'verdict-summary', 'aria-live': 'polite'});
  append(root, [
    h('header', {}, h('div', {class: 'title-line'}, title, name, phase), commands),
    description, h('div', {class: 'clock-line'}, clock, progress),
    h('div', {class: 'scenario-body'},
      h('div', {}, h('h3', {text: 'Timeline'}), timeline),
      h('div', {}, h('div', {class: 'subhead'}, h('h3', {text: 'Expectations'}), summary), verdicts))]);

  let last = null;
  const render = (view) => {
    last = view;
    const s = view.status;
    name.textContent = s.name || 'No scenario loaded';
    phase.textContent = s.phase;
    phase.className = `badge ${PHASES[s.phase] || ''}`;
    description.textContent = view.description || (s.phase === 'empty' ? 'Load a scenario file in the Scenario tab, or poke the sandbox directly.' : '');
    buttons.start.disabled = !['loaded', 'stopped', 'finished'].includes(s.phase);
    buttons.pause.disabled = s.phase !== 'running';
    buttons.resume.disabled = s.phase !== 'paused';
    buttons.stop.disabled = !['running', 'paused'].includes(s.phase);
    buttons.pause.hidden = s.phase === 'paused';
    buttons.resume.hidden = s.phase !== 'paused';
    const elapsed = s.elapsedMilliseconds ?? 0;
    const duration = s.durationMilliseconds || 0;
    clock.parentElement.hidden = !duration;
    clock.textContent = duration ? `${formatRunTime(elapsed)} / ${formatRunTime(duration)}` : '';
    bar.style.width = duration ? `${Math.min(100, (elapsed / duration) * 100)}%` : '0';
    progress.setAttribute('aria-valuemax', String(duration));
    progress.setAttribute('aria-valuenow', String(elapsed));
    renderTimeline(view, elapsed);
    renderVerdicts(view);
  };

  const renderTimeline = (view, elapsed) => {
    clear(timeline);
    if (!view.timeline.length) {
      timeline.append(h('li', {class: 'empty small', text: view.status.name ? 'This scenario has no timeline.' : 'No steps.'}));
      return;
    }
    if (view.earlierFired) timeline.append(h('li', {class: 'more muted', text: '… earlier steps fired'}));
    let nowShown = false;
    for (const firing of view.timeline) {
      if (!nowShown && firing.state === 'upcoming' && view.status.startedAtMilliseconds !== null && view.status.startedAtMilliseconds !== undefined) {
        timeline.append(h('li', {class: 'now', 'aria-label': `Now, ${formatRunTime(elapsed)}`}, h('span', {text: `now ${formatRunTime(elapsed)}`})));
        nowShown = true;
      }
      const failed = Boolean(firing.failure);
      const state = failed ? 'failed' : firing.state;
      const glyph = {fired: 'check', failed: 'cross', due: 'clock', upcoming: 'clock'}[state];
      timeline.append(h('li', {class: `firing ${state}`, 'data-state': state},
        h('span', {class: 'firing-mark'}, icon(glyph, state)),
        h('span', {class: 'mono firing-time', text: formatRunTime(firing.scheduledMilliseconds)}),
        h('span', {class: 'firing-text'},
          h('strong', {text: firing.label + (firing.occurrence > 1 ? ` #${firing.occurrence}` : '')}), ' ',
          h('span', {text: firing.action}),
          failed ? h('span', {class: 'error-text small block', text: firing.failure}) : null,
          firing.firedAtMilliseconds !== null && firing.firedAtMilliseconds !== undefined
            ? h('span', {class: 'muted small block', text: `fired at ${formatRunTime(firing.firedAtMilliseconds)}`}) : null)));
    }
    if (view.laterPlanned) timeline.append(h('li', {class: 'more muted', text: '… more to come'}));
  };

  const renderVerdicts = (view) => {
    clear(verdicts);
    const list = view.expectations;
    if (!list.length) verdicts.append(h('li', {class: 'empty small', text: view.status.name ? 'This scenario expects nothing.' : 'No expectations.'}));
    for (const verdict of list) {
      const kind = {pass: 'ok', fail: 'bad', pending: 'warn'}[verdict.verdict];
      verdicts.append(h('li', {class: `verdict ${verdict.verdict}`, 'data-verdict': verdict.verdict, 'data-name': verdict.name},
        h('span', {class: `badge ${kind}`, text: verdict.verdict === 'pending' ? 'waiting' : verdict.verdict}),
        h('span', {class: 'verdict-text'}, h('strong', {text: verdict.name}), verdict.final ? h('span', {class: 'muted small', text: ' · final'}) : null,
          h('span', {class: 'muted small block', text: verdict.evidence}))));
    }
    const passing = list.filter((v) => v.verdict === 'pass').length;
    summary.textContent = list.length ? `${passing} of ${list.length} passing` : '';
  };

  const source = new EventSource('/events/scenario');
  source.addEventListener('scenario', (event) => render(JSON.parse(event.data)));
  source.addEventListener('open', () => reportStream('scenario', true));
  source.addEventListener('error', () => reportStream('scenario', false));
  return {get view() { return last; }};
}
