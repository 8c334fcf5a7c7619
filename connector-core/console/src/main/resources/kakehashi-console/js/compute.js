// Operator view on the consumer's side: compute jobs sent to a provider under an agreement, followed, and their results.
import { t, lang, errorMessages, localText, stateLabel } from './i18n.js';
import { management, query } from './api.js';
import { h, table, badge } from './dom.js';

const JOBS = '/v3/kakehashi/compute/remote-jobs';
// Kakehashi's terms as the vocabulary, the job's parameters a JSON literal (their keys are free)
const COMPUTE_CONTEXT = { '@vocab': 'https://w3id.org/kakehashi/ns#', parameters: { '@type': '@json' } };
const TYPES = ['sql', 'training', 'evaluation'];

function when(text) {
  if (!text) return '';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString(lang() === 'ja' ? 'ja-JP' : 'en-GB');
}

/** The job description the form gives: an SQL query, or parameters as a JSON object of strings (and a model). */
export function jobOf(type, sql, parameters, model) {
  const job = { type, parameters: {} };
  if (type === 'sql') {
    job.parameters.query = sql.trim();
  } else if (parameters.trim()) {
    const parsed = JSON.parse(parameters);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('not an object');
    for (const [name, value] of Object.entries(parsed)) job.parameters[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  if (model) job.model = model;
  return job;
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** A result document's content as elements: a table, metrics, a model's metrics or a weights update. */
export function resultView(document) {
  const result = document?.result || {};
  const parts = [h('p', { class: 'muted mono' }, t('compute.resultHash', { hash: document?.resultHash ?? '—' }))];
  if (result.kind === 'table') {
    parts.push(table(result.columns || [], (result.rows || []).map(row => h('tr', {}, row.map(cell => h('td', {}, cell ?? '')))), 'compute-result-table'));
  }
  const metrics = result.kind === 'model' ? result.metrics : result.values;
  if (metrics && typeof metrics === 'object') {
    parts.push(table([t('compute.metric'), t('compute.value')], Object.entries(metrics).map(([name, value]) => h('tr', {}, h('td', {}, name), h('td', {}, String(value)))), 'compute-metrics-table'));
  }
  if (result.kind === 'model') parts.push(h('p', {}, t('compute.model', { size: Math.round((result.onnx || '').length * 3 / 4) })));
  if (result.kind === 'update') parts.push(h('p', {}, t('compute.update', { count: result.sampleCount ?? '—' })));
  return parts;
}

export async function compute(root) {
  const [negotiationList, agreementList] = await Promise.all([query('/v3/contractnegotiations/request'), query('/v3/contractagreements/request')]);
  const assets = Object.fromEntries(agreementList.map(a => [a['@id'], a.assetId]));
  const usable = negotiationList.filter(n => n.type === 'CONSUMER' && n.state === 'FINALIZED' && n.contractAgreementId);
  const agreement = h('select', { id: 'compute-agreement' }, usable.map(n => h('option', {
    value: n.contractAgreementId, dataset: { address: n.counterPartyAddress, provider: n.counterPartyId },
  }, `${assets[n.contractAgreementId] ?? '?'} — ${n.counterPartyId} — ${n.contractAgreementId}`)));
  const type = h('select', { id: 'compute-type' }, TYPES.map(name => h('option', { value: name }, t(`compute.type.${name}`))));
  const sql = h('textarea', { id: 'compute-query', rows: 3, class: 'mono' }, 'SELECT count(*) AS n FROM asset');
  const parameters = h('textarea', { id: 'compute-parameters', rows: 3, class: 'mono', placeholder: '{"features": "a,b", "label": "y"}' });
  const model = h('input', { id: 'compute-model', type: 'file', accept: '.onnx' });
  const sqlField = h('label', { class: 'field wide' }, t('compute.query'), sql);
  const parameterField = h('label', { class: 'field wide', hidden: true }, t('compute.parameters'), parameters, h('span', { class: 'field-error', id: 'compute-parameters-error' }));
  const modelField = h('label', { class: 'field wide', hidden: true }, t('compute.modelFile'), model);
  type.addEventListener('change', () => {
    sqlField.hidden = type.value !== 'sql';
    parameterField.hidden = type.value === 'sql';
    modelField.hidden = type.value !== 'evaluation';
  });
  const notice = h('div', { id: 'compute-notice', class: 'notice', hidden: true });
  const form = h('form', { class: 'grid', id: 'compute-form', novalidate: true },
    h('label', { class: 'field wide' }, t('compute.agreement'), agreement),
    h('label', { class: 'field' }, t('compute.jobType'), type), sqlField, parameterField, modelField,
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', id: 'compute-submit' }, t('compute.submit'))));
  const listing = h('div', { id: 'compute-jobs' });
  const result = h('div', { id: 'compute-result' });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    notice.hidden = true;
    form.querySelector('#compute-parameters-error').textContent = '';
    const chosen = agreement.selectedOptions[0];
    let job;
    try {
      job = jobOf(type.value, sql.value, parameters.value, model.files[0] ? await readBase64(model.files[0]) : undefined);
    } catch {
      form.querySelector('#compute-parameters-error').textContent = t('compute.parametersInvalid');
      return;
    }
    try {
      // the JSON-LD form, as the rest of the management API (the plain form is an alias the connector keeps)
      const sent = await management('POST', JOBS, { body: {
        '@context': COMPUTE_CONTEXT, '@type': 'RemoteComputeJobRequest',
        agreementId: chosen.value, counterPartyAddress: chosen.dataset.address, counterPartyId: chosen.dataset.provider,
        job: { '@type': 'ComputeJobDescription', ...job },
      } });
      notice.className = 'notice ok';
      notice.textContent = t('compute.sent', { id: sent.id });
      await refresh();
    } catch (error) {
      notice.className = 'notice error';
      notice.replaceChildren(...errorMessages(error).map(message => h('div', {}, message)));
    }
    notice.hidden = false;
  });

  async function showResult(id) {
    try {
      const document = await management('GET', `${JOBS}/${encodeURIComponent(id)}/result`);
      result.replaceChildren(h('h2', {}, t('compute.resultOf', { id })), ...resultView(document));
      result.dataset.job = id;
    } catch (error) {
      result.replaceChildren(h('div', { class: 'notice error' }, errorMessages(error).join(' ')));
    }
  }

  async function refresh() {
    const jobs = await management('GET', JOBS);
    jobs.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    listing.replaceChildren(jobs.length ? table([t('col.id'), t('col.asset'), t('compute.jobType'), t('col.state'), t('transfers.progress'),
      t('compute.reason'), t('col.created'), t('col.actions')], jobs.map(job => h('tr', { dataset: { job: job.id, state: job.state } },
      h('td', { class: 'mono' }, job.id), h('td', { class: 'mono' }, job.assetId ?? ''), h('td', {}, t(`compute.type.${job.type}`)),
      h('td', {}, badge(job.state, stateLabel(job.state))), h('td', {}, h('progress', { max: 1, value: job.progress ?? 0 })),
      h('td', {}, localText(job.reason ?? '')), h('td', {}, when(job.createdAt)),
      h('td', {}, h('div', { class: 'actions' },
        job.state === 'COMPLETED' ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'result' }, onclick: () => showResult(job.id) }, t('compute.showResult')) : null,
        ['QUEUED', 'RUNNING'].includes(job.state) ? h('button', { type: 'button', class: 'danger', dataset: { action: 'cancel' }, onclick: async () => {
          try {
            await management('POST', `${JOBS}/${encodeURIComponent(job.id)}/cancel`);
          } catch (error) {
            notice.className = 'notice error';
            notice.textContent = errorMessages(error).join(' ');
            notice.hidden = false;
          }
          await refresh();
        } }, t('compute.cancel')) : null)))), 'compute-table') : h('p', { class: 'muted' }, t('app.none')));
  }

  root.append(h('h1', {}, t('compute.title')), h('p', { class: 'muted' }, t('compute.explain')),
    ...(usable.length ? [h('h2', {}, t('compute.create')), form, notice] : [h('p', { class: 'notice' }, t('compute.needAgreement'))]),
    h('h2', {}, t('compute.jobs')), listing, result);
  await refresh();
  // the jobs' states and progress are read again every two seconds while the view is open
  const timer = setInterval(() => refresh().catch(() => {}), 2000);
  return () => clearInterval(timer);
}
