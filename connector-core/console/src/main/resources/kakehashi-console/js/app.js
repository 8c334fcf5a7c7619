// The console's shell: language, login, navigation by role, and the views behind #/<route>.
import { t, lang, setLang, translateStatic, errorMessages } from './i18n.js';
import { session, saveSession, clearSession, management, auditor, EDC } from './api.js';
import { h } from './dom.js';
import * as operatorViews from './operator.js';
import * as auditorViews from './auditor.js';
import * as policyViews from './policies.js';
import * as catalogViews from './catalog.js';
import * as computeViews from './compute.js';

const ROUTES = {
  operator: {
    dashboard: operatorViews.dashboard, assets: operatorViews.assets, policies: policyViews.policies, definitions: policyViews.definitions,
    catalog: catalogViews.catalog, sparql: catalogViews.sparqlConsole, negotiations: operatorViews.negotiations,
    transfers: operatorViews.transfers, compute: computeViews.compute,
  },
  auditor: { decisions: auditorViews.decisions, timeline: auditorViews.timeline, verify: auditorViews.verify, keys: auditorViews.keys },
};
const HOME = { operator: 'dashboard', auditor: 'decisions' };

let stopView = null;
// each render counts up; a view that finishes loading after another render began is dropped, not shown over it
let renders = 0;

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { name, argument: rest.length ? decodeURIComponent(rest.join('/')) : '' };
}

function renderHeader(current) {
  const s = session();
  const nav = document.getElementById('nav');
  nav.replaceChildren();
  if (s) {
    for (const name of Object.keys(ROUTES[s.role])) {
      nav.append(h('a', { id: `nav-${name}`, href: `#/${name}`, class: name === current ? 'active' : null }, t(`nav.${name}`)));
    }
  }
  document.getElementById('who').textContent = s ? t('app.loggedInAs', { role: t(`role.${s.role}`) }) : '';
  document.getElementById('logout').hidden = !s;
  translateStatic(document.querySelector('header'));
  document.title = t('app.title');
}

async function render() {
  const current = ++renders;
  if (stopView) {
    stopView();
    stopView = null;
  }
  const view = document.getElementById('view');
  const s = session();
  if (!s || !ROUTES[s.role]) {
    renderHeader(null);
    view.replaceChildren(loginForm());
    return;
  }
  let { name, argument } = route();
  if (!ROUTES[s.role][name]) {
    location.replace(`#/${HOME[s.role]}`);
    return;
  }
  renderHeader(name);
  view.replaceChildren(h('p', { class: 'muted' }, t('app.loading')));
  const content = h('section', { id: `view-${name}` });
  let stop = null;
  try {
    stop = (await ROUTES[s.role][name](content, argument)) || null;
  } catch (error) {
    content.replaceChildren(...errorMessages(error).map(message => h('div', { class: 'notice error' }, message)));
    if (error?.status === 401) {
      clearSession();
    }
  }
  if (current !== renders) {
    if (stop) stop();
    return;
  }
  stopView = stop;
  view.replaceChildren(content);
}

function loginForm() {
  const message = h('div', { id: 'login-error', class: 'notice error', hidden: true });
  const form = h('form', { class: 'login', id: 'login' },
    h('h1', {}, t('login.title')),
    h('p', { class: 'muted' }, t('login.intro')),
    h('fieldset', { class: 'roles' },
      h('legend', {}, t('login.role')),
      h('label', {}, h('input', { type: 'radio', name: 'role', value: 'operator', id: 'login-role-operator', checked: true }), ' ', t('login.operator')),
      h('label', {}, h('input', { type: 'radio', name: 'role', value: 'auditor', id: 'login-role-auditor' }), ' ', t('login.auditor'))),
    h('label', { class: 'field' }, t('login.key'),
      h('input', { type: 'password', id: 'login-key', name: 'key', autocomplete: 'off', required: true })),
    h('p', {}, h('button', { type: 'submit', id: 'login-submit' }, t('login.submit'))),
    message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const role = form.querySelector('input[name=role]:checked').value;
    const key = form.querySelector('#login-key').value;
    message.hidden = true;
    try {
      // a cheap read with the typed key decides whether this role's API accepts it
      await (role === 'operator'
        ? management('POST', '/v3/assets/request', { key, body: { '@context': { '@vocab': EDC }, '@type': 'QuerySpec', limit: 1 } })
        : auditor('GET', '/v1/decisions', { key, query: { limit: 1 } }));
      saveSession(role, key);
      location.hash = `#/${HOME[role]}`;
      render();
    } catch (error) {
      message.textContent = error?.status === 401 ? t('login.refused') : errorMessages(error).join(' ');
      message.hidden = false;
    }
  });
  return form;
}

function start() {
  setLang(lang());
  const select = document.getElementById('lang-switch');
  select.value = lang();
  select.addEventListener('change', () => {
    setLang(select.value);
    render();
  });
  document.getElementById('logout').addEventListener('click', () => {
    clearSession();
    location.hash = '';
    render();
  });
  window.addEventListener('hashchange', render);
  render();
}

start();
