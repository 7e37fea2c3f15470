// The dashboard's entry: sign-in, the controls, and loading every view.

import * as api from './api.js';
import * as views from './views.js';

const $ = (id) => document.getElementById(id);
let session = null;

function showSignIn(message = '') {
  session = null;
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('token').focus();
}

async function enter() {
  try {
    session = await views.signIn();
  } catch (error) {
    api.forget();
    showSignIn(error.status === 401 ? 'That token is not valid (unknown, revoked or expired).' : error.message);
    return;
  }
  const { caller } = session;
  $('who').textContent = `Signed in as ${caller.user_id}, project ${caller.project_id}`
    + (session.allProjects ? ' (sees every project)' : '');
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('app').hidden = false;
  $('project-field').hidden = !session.allProjects;
  const picker = $('project');
  picker.replaceChildren(new Option('Every project', ''),
    ...session.projects.map((project) => new Option(project, project)));
  $('agents-view').hidden = !caller.agents;
  await load();
  $('main').focus();
}

function controls() {
  return { range: $('range').value, start: $('start').value, end: $('end').value, step: $('step').value };
}

/** Loads every view for the controls' choice; `data-state` says when it is done (and `data-load-ms` how long). */
async function load() {
  const began = performance.now();
  const app = $('app');
  app.dataset.state = 'loading';
  $('status').textContent = 'Loading…';
  try {
    const range = views.window(controls());
    const project = session.allProjects ? $('project').value : '';
    const [labels] = await Promise.all([
      views.showTop(session, project, range, { labels: $('top-labels'), routers: $('top-routers') }),
      views.showStatement(session, project, { summary: $('statement-summary'), table: $('statement-table') }),
      session.caller.agents
        ? views.showAgents({ summary: $('agents-summary'), table: $('agents-table') }) : null,
    ]);
    await views.showUsage(session, project, range, labels, {
      summary: $('usage-summary'), chart: $('usage-chart'), details: $('usage-details'), table: $('usage-table'),
    });
    const millis = Math.round(performance.now() - began);
    app.dataset.loadMs = String(millis);
    $('status').textContent = `Loaded in ${millis} ms.`;
    app.dataset.state = 'ready';
  } catch (error) {
    if (error.status === 401) {
      api.forget();
      showSignIn('The session ended: sign in again.');
      return;
    }
    $('status').textContent = `Could not load: ${error.message}`;
    app.dataset.state = 'failed';
  }
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const secret = $('token').value.trim();
  $('token').value = '';
  api.remember(secret);
  enter();
});

$('sign-out').addEventListener('click', () => {
  api.forget();
  showSignIn();
});

$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});

$('range').addEventListener('change', () => {
  const custom = $('range').value === 'custom';
  for (const field of document.querySelectorAll('#controls .custom')) {
    field.hidden = !custom;
  }
  if (custom && !$('start').value) {
    const now = new Date();
    const local = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    $('end').value = local(now);
    $('start').value = local(new Date(now.getTime() - 86400000));
  }
});

$('project').addEventListener('change', load);

if (api.token()) {
  enter();
} else {
  showSignIn();
}
