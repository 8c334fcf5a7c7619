// Auditor views, on the auditor API only: the decision log with its filters, a timeline per agreement, the chain's
// verification verdict and the checkpoint key history.
import { t, lang, errorMessages, localText, stateLabel } from './i18n.js';
import { auditor } from './api.js';
import { h, table, badge } from './dom.js';

const SCOPES = ['catalog', 'contract.negotiation', 'transfer.process', 'compute', 'compute.result'];

function when(text) {
  if (!text) return '';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString(lang() === 'ja' ? 'ja-JP' : 'en-GB');
}

function reasons(entry) {
  return (entry.reasons || []).map(reason => h('div', {}, `${reason.constraint ?? ''} ${reason.outcome ? `(${t(`outcome.${reason.outcome}`)})` : ''}: ${localText(reason.reason ?? '')}`));
}

function decisionRows(decisions) {
  return decisions.map(({ sequence, entry }) => h('tr', { dataset: { sequence } },
    h('td', {}, sequence), h('td', {}, when(entry.time)), h('td', {}, t(`scope.${entry.scope}`)),
    h('td', { class: 'mono' }, entry.counterpartyId ?? ''), h('td', { class: 'mono' }, entry.assetId ?? ''),
    h('td', { class: 'mono' }, entry.agreementId ? h('a', { href: `#/timeline/${encodeURIComponent(entry.agreementId)}` }, entry.agreementId) : ''),
    h('td', {}, badge(entry.outcome, t(`outcome.${entry.outcome}`))), h('td', {}, reasons(entry))));
}

function startOfToday() {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.toISOString();
}

export async function decisions(root) {
  const form = h('form', { class: 'grid', id: 'decision-filter' });
  const text = (name, label) => h('label', { class: 'field' }, t(label), h('input', { id: `filter-${name}`, name, type: 'text' }));
  form.append(
    text('counterparty', 'decisions.counterparty'), text('agreement', 'decisions.agreement'), text('asset', 'decisions.asset'),
    h('label', { class: 'field' }, t('decisions.scope'), h('select', { id: 'filter-scope', name: 'scope' },
      h('option', { value: '' }, t('decisions.any')), SCOPES.map(scope => h('option', { value: scope }, t(`scope.${scope}`))))),
    h('label', { class: 'field' }, t('decisions.outcome'), h('select', { id: 'filter-outcome', name: 'outcome' },
      h('option', { value: '' }, t('decisions.any')), ['PERMIT', 'DENY'].map(o => h('option', { value: o }, t(`outcome.${o}`))))),
    text('from', 'decisions.from'), text('to', 'decisions.to'),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', id: 'filter-submit' }, t('decisions.search'))));
  const summary = h('p', { id: 'decisions-today', class: 'muted' });
  const result = h('div', { id: 'decisions-result' });

  async function search() {
    const values = Object.fromEntries(new FormData(form).entries());
    try {
      const page = await auditor('GET', '/v1/decisions', { query: { ...values, limit: 200 } });
      result.replaceChildren(h('p', { id: 'decisions-count' }, t('decisions.count', { count: page.count })),
        page.decisions.length ? table([t('col.sequence'), t('col.time'), t('col.scope'), t('col.counterparty'), t('col.asset'),
          t('col.agreement'), t('col.outcome'), t('col.reasons')], decisionRows(page.decisions), 'decisions-table') : h('p', { class: 'muted' }, t('app.none')));
    } catch (error) {
      result.replaceChildren(...errorMessages(error).map(message => h('div', { class: 'notice error' }, message)));
    }
  }
  form.addEventListener('submit', event => {
    event.preventDefault();
    search();
  });

  const from = startOfToday();
  const [permitted, denied] = await Promise.all(['PERMIT', 'DENY'].map(outcome =>
    auditor('GET', '/v1/decisions', { query: { outcome, from, limit: 1000 } })));
  const count = page => (page.count >= 1000 ? '1000+' : page.count);
  summary.textContent = t('decisions.today', { permit: count(permitted), deny: count(denied) });
  root.append(h('h1', {}, t('decisions.title')), summary, form, result);
  await search();
}

export async function timeline(root, agreement) {
  const input = h('input', { id: 'timeline-agreement', type: 'text', value: agreement || '' });
  const form = h('form', { class: 'actions', id: 'timeline-form' }, h('label', { class: 'field' }, t('timeline.agreement'), input),
    h('button', { type: 'submit', id: 'timeline-show' }, t('timeline.show')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/timeline/${encodeURIComponent(input.value.trim())}`;
  });
  const list = h('div', { id: 'timeline-result' });
  root.append(h('h1', {}, t('timeline.title')), h('p', { class: 'muted' }, t('timeline.note')), form, list);
  if (!agreement) return;
  const page = await auditor('GET', '/v1/decisions', { query: { agreement, limit: 1000 } });
  const entries = [...page.decisions].sort((a, b) => String(a.entry.time).localeCompare(String(b.entry.time)) || a.sequence - b.sequence);
  list.replaceChildren(entries.length ? h('ol', { class: 'timeline', id: 'timeline-list' }, entries.map(({ sequence, entry }) => h('li', { dataset: { sequence } },
    h('div', {}, h('strong', {}, t(`scope.${entry.scope}`)), ' ', badge(entry.outcome, t(`outcome.${entry.outcome}`))),
    h('div', { class: 'muted' }, `#${sequence} · ${when(entry.time)} · ${entry.counterpartyId ?? ''}`),
    entry.transferId ? h('div', { class: 'mono' }, `transfer ${entry.transferId}`) : null,
    reasons(entry)))) : h('p', { class: 'muted' }, t('timeline.empty')));
}

export async function verify(root) {
  const verdict = h('div', { id: 'verdict', hidden: true });
  const button = h('button', { type: 'button', id: 'verify-run' }, t('verify.run'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const result = await auditor('GET', '/v1/verify');
      verdict.className = `verdict ${result.intact ? 'intact' : 'broken'}`;
      verdict.dataset.intact = String(result.intact);
      verdict.replaceChildren(result.intact
        ? h('div', {}, t('verify.intact', { entries: result.entriesChecked, checkpoints: result.checkpointsChecked }))
        : h('div', {}, t('verify.broken', { position: result.position, problem: result.problem }),
          result.reason ? h('div', { class: 'muted' }, t('verify.reason', { reason: result.reason })) : null));
    } catch (error) {
      verdict.className = 'notice error';
      verdict.replaceChildren(...errorMessages(error).map(message => h('div', {}, message)));
    }
    verdict.hidden = false;
    button.disabled = false;
  });
  root.append(h('h1', {}, t('verify.title')), h('p', { class: 'muted' }, t('verify.explain')), h('p', {}, button), verdict,
    h('h2', {}, t('export.title')), h('p', { class: 'muted' }, t('export.explain')), exports());
}

/** Evidence for the offline verifier: the log, its checkpoints and the key history as JSON Lines files. */
function exports() {
  const status = h('p', { id: 'export-status', class: 'muted' });
  const files = [['decisions', '/v1/export/decisions', 'decisions.jsonl'], ['checkpoints', '/v1/export/checkpoints', 'checkpoints.jsonl'],
    ['keys', '/v1/export/checkpoint-keys', 'checkpoint-keys.jsonl']];
  const buttons = files.map(([name, path, file]) => h('button', {
    type: 'button', class: 'secondary', id: `export-${name}`, onclick: async () => {
      try {
        const text = await auditor('GET', path, { accept: 'application/jsonl' });
        const lines = String(text).split('\n').filter(line => line.trim()).length;
        const link = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/jsonl' })), download: file });
        document.body.append(link);
        link.click();
        link.remove();
        status.textContent = t('export.done', { file, lines });
        status.dataset.lines = String(lines);
      } catch (error) {
        status.textContent = errorMessages(error).join(' ');
      }
    },
  }, t(`export.${name}`)));
  return h('div', {}, h('div', { class: 'actions' }, buttons), status);
}

export async function keys(root) {
  const history = await auditor('GET', '/v1/checkpoint-keys');
  const rows = (history.keys || []).map(key => h('tr', {}, h('td', { class: 'mono' }, key.kid), h('td', {}, badge(key.status, stateLabel(key.status))),
    h('td', {}, when(key.added)), h('td', {}, key.checkpoints ?? 0)));
  root.append(h('h1', {}, t('keys.title')),
    rows.length ? table([t('col.kid'), t('col.status'), t('col.added'), t('col.checkpoints')], rows, 'keys-table') : h('p', { class: 'muted' }, t('app.none')));
}
