// Operator views: dashboard, assets (with DCAT metadata checked against its profile), negotiations, transfers.
import { t, lang, errorMessages, localText, stateLabel } from './i18n.js';
import { management, query, EDC } from './api.js';
import { h, table, badge, formatBytes } from './dom.js';

const KH = 'https://w3id.org/kakehashi/ns#';
export const MANUFACTURING = 'https://w3id.org/kakehashi/profiles/manufacturing/machine-operation/v1';

function countBy(entries, field) {
  const counts = {};
  for (const entry of entries) counts[entry[field] ?? '—'] = (counts[entry[field] ?? '—'] || 0) + 1;
  return counts;
}

function card(id, number, label) {
  return h('div', { class: 'card', id }, h('div', { class: 'n' }, number), h('div', { class: 'l' }, label));
}

function countText(list) {
  return list.length >= 1000 ? '1000+' : String(list.length);
}

/** A list from one of Kakehashi's own management endpoints, empty when the connector does not have it (404). */
async function optionalList(path) {
  try {
    const list = await management('GET', path);
    return Array.isArray(list) ? list : [];
  } catch (error) {
    if (error.status === 404) return [];
    throw error;
  }
}

// the crawler's own record of each peer: a peer whose last attempt failed keeps its error until a good answer clears it
export const PEERS_QUERY = `PREFIX kh: <https://w3id.org/kakehashi/ns#>
SELECT ?peer ?endpoint ?fetchedAt ?lastError WHERE {
  GRAPH <urn:kakehashi:catalog:graphs> {
    ?graph a kh:PeerCatalogGraph ; kh:peerId ?peer .
    OPTIONAL { ?graph kh:endpoint ?endpoint }
    OPTIONAL { ?graph kh:fetchedAt ?fetchedAt }
    OPTIONAL { ?graph kh:lastError ?lastError }
  }
} ORDER BY ?peer`;

async function peerList() {
  try {
    const answer = await management('POST', '/v3/catalog/sparql', { raw: PEERS_QUERY, contentType: 'application/sparql-query', accept: 'application/sparql-results+json' });
    return (answer?.results?.bindings || []).map(row => ({
      peer: row.peer?.value, endpoint: row.endpoint?.value, fetchedAt: row.fetchedAt?.value, error: row.lastError?.value,
    }));
  } catch (error) {
    if (error.status === 404) return [];
    throw error;
  }
}

async function progressList() {
  try {
    return await management('GET', '/v1/kakehashi/transfers/progress');
  } catch (error) {
    if (error.status === 404) return [];
    throw error;
  }
}

export async function dashboard(root) {
  const [assets, policies, definitions, negotiations, transfers, progress, jobs, trainings, peers] = await Promise.all([
    query('/v3/assets/request'), query('/v3/policydefinitions/request'), query('/v3/contractdefinitions/request'),
    query('/v3/contractnegotiations/request'), query('/v3/transferprocesses/request'), progressList(),
    optionalList('/v3/kakehashi/compute/remote-jobs'), optionalList('/v3/kakehashi/compute/trainings'), peerList()]);
  const running = progress.filter(p => p.state === 'RUNNING' || p.state === 'STARTED');
  const rate = running.reduce((sum, p) => sum + (p.bytesPerSecond || 0), 0);
  const byState = (entries, prefix) => Object.entries(countBy(entries, 'state')).sort()
    .map(([state, count]) => card(`${prefix}-${state}`, count, stateLabel(state)));
  const states = (entries, id, prefix) => entries.length ? h('div', { class: 'cards', id }, byState(entries, prefix)) : h('p', { class: 'muted' }, t('app.none'));
  root.append(
    h('h1', {}, t('dashboard.title')),
    h('div', { class: 'cards' },
      card('count-assets', countText(assets), t('dashboard.assets')),
      card('count-policies', countText(policies), t('dashboard.policies')),
      card('count-contract-definitions', countText(definitions), t('dashboard.contractDefinitions')),
      card('count-running', running.length, t('dashboard.running')),
      card('count-rate', `${formatBytes(rate)}/s`, t('dashboard.rate'))),
    h('h2', {}, t('dashboard.negotiations')), states(negotiations, 'negotiation-states', 'negotiations'),
    h('h2', {}, t('dashboard.transfers')), states(transfers, 'transfer-states', 'transfers'),
    h('h2', {}, t('dashboard.jobs')), states(jobs, 'job-states', 'jobs'),
    h('h2', {}, t('dashboard.trainings')), states(trainings, 'training-states', 'trainings'),
    h('h2', {}, t('dashboard.peers')),
    peers.length ? table([t('dashboard.peer'), t('dashboard.reachable'), t('catalog.fetched'), t('dashboard.lastError')], peers.map(peer =>
      h('tr', { dataset: { peer: peer.peer, reachable: String(!peer.error && !!peer.fetchedAt) } },
        h('td', { class: 'mono' }, peer.peer), h('td', {}, !peer.error && peer.fetchedAt ? badge('PERMIT', t('dashboard.yes')) : badge('DENY', t('dashboard.no'))),
        h('td', {}, peer.fetchedAt ? new Date(peer.fetchedAt).toLocaleString(lang() === 'ja' ? 'ja-JP' : 'en-GB') : '—'),
        h('td', { class: 'mono' }, peer.error ?? ''))), 'peers-table') : h('p', { class: 'muted' }, t('dashboard.noPeers')),
    h('p', { class: 'muted' }, t('dashboard.decisionsNote')));
}

// --- assets -------------------------------------------------------------------------------------------------------

const FIELDS = [
  ['id', 'assets.id', 'text'], ['name', 'assets.name', 'text'],
  ['titleJa', 'assets.titleJa', 'text'], ['titleEn', 'assets.titleEn', 'text'],
  ['descriptionJa', 'assets.descriptionJa', 'textarea'], ['descriptionEn', 'assets.descriptionEn', 'textarea'],
  ['keywords', 'assets.keywords', 'text'], ['publisher', 'assets.publisher', 'text'],
  ['mediaType', 'assets.mediaType', 'text'], ['byteSize', 'assets.byteSize', 'text'],
  ['machineType', 'assets.machineType', 'text'], ['machineCount', 'assets.machineCount', 'text'],
  ['temporalResolution', 'assets.temporalResolution', 'text'], ['baseUrl', 'assets.baseUrl', 'text'],
];

/** Which form field a SHACL message is about: by the property path the message names, and the language for texts. */
export function fieldOf(message) {
  const match = /^(?:<[^>]*>|\[\]) (\S+): (.*)$/s.exec(message || '');
  if (!match) return null;
  const [, path, text] = match;
  const language = /@ja\b/.test(text) ? 'Ja' : 'En';
  switch (path) {
    case 'dct:title': return `title${language}`;
    case 'dct:description': return `description${language}`;
    case 'dcat:keyword': return 'keywords';
    case 'dct:publisher': return 'publisher';
    case 'dcat:distribution':
    case 'dcat:mediaType': return 'mediaType';
    case 'dcat:byteSize': return 'byteSize';
    case 'kh:machineType': return 'machineType';
    case 'kh:machineCount': return 'machineCount';
    case 'dcat:temporalResolution': return 'temporalResolution';
    case 'dct:conformsTo': return 'profile';
    default: return null;
  }
}

const list = value => value.split(/[,、]/).map(item => item.trim()).filter(Boolean);

/** The DCAT dataset (JSON-LD) the form describes; an empty field is left out, so the profile names what is missing. */
export function dcatOf(values) {
  const texts = (ja, en) => [ja && { '@value': ja, '@language': 'ja' }, en && { '@value': en, '@language': 'en' }].filter(Boolean);
  const dataset = {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', xsd: 'http://www.w3.org/2001/XMLSchema#',
      foaf: 'http://xmlns.com/foaf/0.1/', kh: KH,
      'dcat:byteSize': { '@type': 'xsd:nonNegativeInteger' }, 'dcat:temporalResolution': { '@type': 'xsd:duration' },
      'dct:conformsTo': { '@type': '@id' },
    },
    '@id': `urn:kakehashi:dataset:${encodeURIComponent(values.id)}`,
    '@type': 'dcat:Dataset',
    'dct:conformsTo': values.profile,
  };
  const title = texts(values.titleJa, values.titleEn);
  if (title.length) dataset['dct:title'] = title;
  const description = texts(values.descriptionJa, values.descriptionEn);
  if (description.length) dataset['dct:description'] = description;
  if (list(values.keywords).length) dataset['dcat:keyword'] = list(values.keywords);
  if (values.publisher) dataset['dct:publisher'] = { '@type': 'foaf:Organization', 'foaf:name': values.publisher };
  const distribution = { '@type': 'dcat:Distribution' };
  if (values.mediaType) distribution['dcat:mediaType'] = { '@id': `https://www.iana.org/assignments/media-types/${values.mediaType}` };
  if (values.byteSize) distribution['dcat:byteSize'] = /^\d+$/.test(values.byteSize) ? Number(values.byteSize) : values.byteSize;
  dataset['dcat:distribution'] = [distribution];
  if (list(values.machineType).length) dataset['kh:machineType'] = list(values.machineType);
  if (values.machineCount) dataset['kh:machineCount'] = /^-?\d+$/.test(values.machineCount) ? Number(values.machineCount) : values.machineCount;
  if (values.temporalResolution) dataset['dcat:temporalResolution'] = values.temporalResolution;
  return dataset;
}

function dcatProperty(asset) {
  const properties = asset.properties || {};
  const key = Object.keys(properties).find(name => name === `${KH}dcat` || name === 'kh:dcat' || name.endsWith(':dcat'));
  if (!key) return null;
  try {
    const value = properties[key];
    return typeof value === 'string' ? JSON.parse(value) : value?.['@value'] ?? value;
  } catch {
    return null;
  }
}

function localTitle(dataset) {
  const titles = [].concat(dataset?.['dct:title'] || []);
  const pick = titles.find(title => title['@language'] === lang()) || titles[0];
  return pick?.['@value'] ?? '';
}

export async function assets(root) {
  const form = h('form', { class: 'grid', id: 'asset-form', novalidate: true });
  const notice = h('div', { id: 'asset-notice', class: 'notice', hidden: true });
  form.append(h('label', { class: 'field wide', id: 'asset-profile-field' }, t('assets.profile'),
    h('select', { id: 'asset-profile', name: 'profile' }, h('option', { value: MANUFACTURING }, t('assets.profileManufacturing'))),
    h('span', { class: 'field-error', id: 'asset-profile-error' })));
  for (const [name, label, type] of FIELDS) {
    const input = type === 'textarea' ? h('textarea', { id: `asset-${name}`, name, rows: 2 }) : h('input', { id: `asset-${name}`, name, type });
    form.append(h('label', { class: 'field', id: `asset-${name}-field` }, t(label), input, h('span', { class: 'field-error', id: `asset-${name}-error` })));
  }
  form.append(h('div', { class: 'actions wide' }, h('button', { type: 'submit', id: 'asset-submit' }, t('assets.submit'))));
  const listing = h('div', { id: 'asset-list' });

  async function refresh() {
    const all = await query('/v3/assets/request');
    listing.replaceChildren(all.length ? table([t('col.id'), t('col.name'), t('col.title'), t('col.profile')], all.map(asset => {
      const dataset = dcatProperty(asset);
      return h('tr', { dataset: { asset: asset['@id'] } },
        h('td', { class: 'mono' }, asset['@id']), h('td', {}, asset.properties?.name ?? ''),
        h('td', {}, localTitle(dataset)), h('td', { class: 'mono' }, dataset?.['dct:conformsTo'] ?? ''));
    }), 'assets-table') : h('p', { class: 'muted' }, t('app.none')));
  }

  function clearErrors() {
    for (const element of form.querySelectorAll('.field-error')) element.textContent = '';
    for (const element of form.querySelectorAll('.invalid')) element.classList.remove('invalid');
    notice.hidden = true;
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors();
    const values = Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v).trim()]));
    if (!values.id) {
      showFieldError('id', t('errors.required'));
      return;
    }
    const body = {
      '@context': { '@vocab': EDC },
      '@id': values.id,
      properties: { name: values.name || values.id, [`${KH}dcat`]: JSON.stringify(dcatOf(values)) },
      dataAddress: { '@type': 'DataAddress', type: 'HttpData', baseUrl: values.baseUrl || 'http://127.0.0.1/' },
    };
    try {
      await management('POST', '/v3/assets', { body });
      notice.className = 'notice ok';
      notice.textContent = t('assets.created', { id: values.id });
      notice.hidden = false;
      await refresh();
    } catch (error) {
      const unplaced = [];
      let placed = 0;
      for (const detail of error.details || []) {
        const field = error.status === 400 ? fieldOf(detail.message) : null;
        if (field) {
          showFieldError(field, localText(detail.message).replace(/^(?:<[^>]*>|\[\]) \S+: /, ''));
          placed++;
        } else {
          unplaced.push(detail);
        }
      }
      const lines = placed ? [t('assets.invalid')] : [];
      if (unplaced.length || !placed) lines.push(...errorMessages({ status: error.status, details: unplaced }));
      notice.className = 'notice error';
      notice.replaceChildren(...lines.map(message => h('div', {}, message)));
      notice.hidden = false;
    }
  });

  function showFieldError(field, message) {
    const holder = form.querySelector(`#asset-${field}-field`);
    const slot = form.querySelector(`#asset-${field}-error`);
    holder?.classList.add('invalid');
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
  }

  root.append(h('h1', {}, t('assets.title')), h('h2', {}, t('assets.create')), form, notice, h('h2', {}, t('assets.list')), listing);
  await refresh();
}

// --- negotiations and transfers -----------------------------------------------------------------------------------

function when(millis) {
  return millis ? new Date(millis).toLocaleString(lang() === 'ja' ? 'ja-JP' : 'en-GB') : '';
}

export async function negotiations(root) {
  const holder = h('div');
  async function refresh() {
    const all = await query('/v3/contractnegotiations/request');
    all.sort((a, b) => (b.createdAt || 0) - (a.createdAt || 0));
    holder.replaceChildren(all.length ? table(
      [t('col.id'), t('col.type'), t('col.counterparty'), t('col.state'), t('col.agreement'), t('col.reason'), t('col.created')],
      all.map(n => h('tr', { dataset: { negotiation: n['@id'] } },
        h('td', { class: 'mono' }, n['@id']), h('td', {}, t(`type.${n.type}`)), h('td', { class: 'mono' }, n.counterPartyId),
        h('td', {}, badge(n.state, stateLabel(n.state))), h('td', { class: 'mono' }, n.contractAgreementId ?? ''),
        h('td', {}, n.errorDetail ?? ''), h('td', {}, when(n.createdAt)))), 'negotiations-table') : h('p', { class: 'muted' }, t('app.none')));
  }
  root.append(h('h1', {}, t('negotiations.title')),
    h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'negotiations-refresh', onclick: () => refresh() }, t('app.refresh'))), holder);
  await refresh();
}

export async function transfers(root) {
  const holder = h('div');
  const notice = h('div', { id: 'transfer-notice', class: 'notice', hidden: true });
  const reason = h('input', { id: 'transfer-reason', type: 'text', value: lang() === 'ja' ? 'コンソールから操作' : 'from the console' });

  async function act(id, action) {
    const types = { suspend: 'SuspendTransfer', resume: 'ResumeTransfer', terminate: 'TerminateTransfer' };
    const body = { '@context': { '@vocab': EDC }, '@type': types[action] };
    if (action !== 'resume') body.reason = reason.value || action;
    try {
      await management('POST', `/v3/transferprocesses/${encodeURIComponent(id)}/${action}`, { body });
      notice.className = 'notice ok';
      notice.textContent = t('transfers.done', { action: t(`transfers.${action}`), id });
    } catch (error) {
      notice.className = 'notice error';
      notice.textContent = errorMessages(error).join(' ');
    }
    notice.hidden = false;
    await refresh();
  }

  async function refresh() {
    const [all, progress] = await Promise.all([query('/v3/transferprocesses/request'), progressList()]);
    const byId = Object.fromEntries(progress.map(p => [p.transferId, p]));
    all.sort((a, b) => (b.stateTimestamp || 0) - (a.stateTimestamp || 0));
    holder.replaceChildren(all.length ? table(
      [t('col.id'), t('col.type'), t('col.asset'), t('col.state'), t('col.transferType'), t('transfers.progress'), t('col.reason'), t('col.actions')],
      all.map(p => {
        const moved = byId[p['@id']];
        const open = !['COMPLETED', 'TERMINATED', 'DEPROVISIONED', 'DEPROVISIONING'].includes(p.state);
        return h('tr', { dataset: { transfer: p['@id'], state: p.state } },
          h('td', { class: 'mono' }, p['@id']), h('td', {}, t(`type.${p.type}`)), h('td', { class: 'mono' }, p.assetId ?? ''),
          h('td', {}, badge(p.state, stateLabel(p.state))), h('td', {}, p.transferType ?? ''),
          h('td', {}, moved ? [
            moved.percentage !== null && moved.percentage !== undefined ? h('progress', { max: 100, value: moved.percentage }) : null,
            ` ${formatBytes(moved.bytes)} · ${formatBytes(moved.bytesPerSecond)}/s`] : '—'),
          h('td', {}, p.errorDetail ?? ''),
          h('td', {}, h('div', { class: 'actions' },
            p.state === 'STARTED' ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'suspend' }, onclick: () => act(p['@id'], 'suspend') }, t('transfers.suspend')) : null,
            p.state === 'SUSPENDED' ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'resume' }, onclick: () => act(p['@id'], 'resume') }, t('transfers.resume')) : null,
            open ? h('button', { type: 'button', class: 'danger', dataset: { action: 'terminate' }, onclick: () => act(p['@id'], 'terminate') }, t('transfers.terminate')) : null)));
      }), 'transfers-table') : h('p', { class: 'muted' }, t('app.none')));
  }

  root.append(h('h1', {}, t('transfers.title')),
    h('div', { class: 'actions' }, h('label', { class: 'field' }, t('transfers.reasonPrompt'), reason),
      h('button', { type: 'button', class: 'secondary', id: 'transfers-refresh', onclick: () => refresh() }, t('app.refresh'))),
    notice, holder);
  await refresh();
  // live progress: the list is read again every two seconds while the view is open
  const timer = setInterval(() => refresh().catch(() => {}), 2000);
  return () => clearInterval(timer);
}
