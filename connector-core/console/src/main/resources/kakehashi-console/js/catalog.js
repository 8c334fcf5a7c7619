// Operator views on the consumer's side: the federated catalog searched in Japanese or English, a SPARQL console, and
// from a found dataset its offers, a negotiation and a transfer whose progress is followed to the end.
import { t, lang, errorMessages, stateLabel } from './i18n.js';
import { management, EDC } from './api.js';
import { h, table, badge, formatBytes } from './dom.js';
import { constraintLines } from './policies.js';

export const MANAGEMENT_CONTEXT = 'https://w3id.org/edc/connector/management/v0.0.1';
export const DSP = 'dataspace-protocol-http:2025-1';
const DESTINATION_PATH = 'https://w3id.org/kakehashi/transfer/destinationPath';
const POLL = 1000;

function when(text) {
  if (!text) return '';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString(lang() === 'ja' ? 'ja-JP' : 'en-GB');
}

/** A title in the current language, the other one otherwise. */
export function titleOf(hit) {
  const titles = hit.title || {};
  return titles[lang()] || titles[lang() === 'ja' ? 'en' : 'ja'] || titles[''] || hit.dataset;
}

const iri = value => `<${String(value).replace(/[<>"{}|^`\\\s]/g, encodeURIComponent)}>`;

/** The SPARQL query that names a peer dataset's DSP id and the peer's DSP endpoint (as the crawler stored them). */
export function offerSourceQuery(graph, dataset) {
  return `PREFIX dct: <http://purl.org/dc/terms/>
PREFIX kh: <https://w3id.org/kakehashi/ns#>
SELECT ?id ?endpoint ?peer WHERE {
  GRAPH ${iri(graph)} { ${iri(dataset)} dct:identifier ?id }
  GRAPH <urn:kakehashi:catalog:graphs> { ${iri(graph)} kh:endpoint ?endpoint ; kh:peerId ?peer }
} LIMIT 1`;
}

// the values of a compacted JSON-LD property, whatever prefix the API wrote it with
function field(node, name) {
  if (!node || typeof node !== 'object') return undefined;
  const key = Object.keys(node).find(k => k === name || k.endsWith(`:${name}`));
  return key === undefined ? undefined : node[key];
}

/** The offers of a catalog answer's first dataset, each as the policy to request (assigner and target set). */
export function offersOf(catalog) {
  const datasets = [].concat(field(catalog, 'dataset') || []);
  const participant = field(catalog, 'participantId');
  const dataset = datasets[0];
  if (!dataset) return [];
  return [].concat(field(dataset, 'hasPolicy') || []).map(offer => ({
    ...offer, '@type': 'Offer', assigner: typeof participant === 'object' ? participant['@id'] : participant, target: dataset['@id'],
  }));
}

async function sparql(text) {
  return management('POST', '/v3/catalog/sparql', { raw: text, contentType: 'application/sparql-query', accept: 'application/sparql-results+json' });
}

export async function catalog(root) {
  const form = h('form', { class: 'grid', id: 'catalog-search' },
    h('label', { class: 'field wide' }, t('catalog.query'), h('input', { id: 'catalog-q', type: 'search', name: 'q' })),
    h('label', { class: 'field' }, h('span', {}, h('input', { type: 'checkbox', id: 'catalog-own', name: 'own' }), ' ', t('catalog.includeOwn'))),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', id: 'catalog-submit' }, t('catalog.search'))));
  const results = h('div', { id: 'catalog-results' });
  const panel = h('div', { id: 'catalog-panel' });
  let stop = () => {};

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const q = form.querySelector('#catalog-q').value.trim();
    if (!q) return;
    try {
      const answer = await management('GET', '/v3/catalog/search', { query: { q, own: form.querySelector('#catalog-own').checked ? 'true' : 'false', limit: 100 } });
      results.replaceChildren(h('p', { id: 'catalog-count' }, t('catalog.count', { count: answer.count })),
        answer.datasets.length ? table([t('col.title'), t('catalog.source'), t('catalog.fetched'), t('col.actions')], answer.datasets.map(hit =>
          h('tr', { dataset: { dataset: hit.dataset, peer: hit.peerId ?? '', asset: hit.assetId ?? '' } },
            h('td', {}, titleOf(hit)),
            h('td', { class: 'mono' }, hit.peerId ? hit.peerId : t('catalog.own', { id: hit.assetId ?? '' })),
            h('td', {}, when(hit.fetchedAt)),
            h('td', {}, hit.peerId ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'offers' },
              onclick: () => { stop(); stop = showOffers(panel, hit); } }, t('catalog.offers')) : ''))), 'catalog-table')
          : h('p', { class: 'muted' }, t('catalog.nothing')));
    } catch (error) {
      results.replaceChildren(...errorMessages(error).map(message => h('div', { class: 'notice error' }, message)));
    }
  });

  root.append(h('h1', {}, t('catalog.title')), h('p', { class: 'muted' }, t('catalog.explain')), form, results, panel);
  return () => stop();
}

/** The offers of a found dataset, asked of its provider; negotiating one, then a transfer; returns a stop function. */
function showOffers(panel, hit) {
  let stopped = false;
  const timers = [];
  const stop = () => {
    stopped = true;
    timers.forEach(clearTimeout);
  };
  const status = h('div', { id: 'offer-status' });
  panel.replaceChildren(h('h2', {}, t('catalog.offersOf', { title: titleOf(hit) })), status);

  const follow = (read, done, draw) => new Promise(resolve => {
    const step = async () => {
      if (stopped) return;
      try {
        const value = await read();
        draw(value);
        if (done(value)) return resolve(value);
      } catch (error) {
        draw(null, error);
      }
      timers.push(setTimeout(step, POLL));
    };
    step();
  });

  (async () => {
    try {
      const bindings = (await sparql(offerSourceQuery(hit.graph, hit.dataset)))?.results?.bindings || [];
      if (!bindings.length) throw Object.assign(new Error('source'), { status: -1 });
      const source = { id: bindings[0].id.value, endpoint: bindings[0].endpoint.value, peer: bindings[0].peer.value };
      const answer = await management('POST', '/v3/catalog/request', { body: {
        '@context': { '@vocab': EDC }, '@type': 'CatalogRequest', counterPartyAddress: source.endpoint, counterPartyId: source.peer, protocol: DSP,
        querySpec: { '@type': 'QuerySpec', filterExpression: [{ operandLeft: `${EDC}id`, operator: '=', operandRight: source.id }] },
      } });
      const offers = offersOf(answer);
      if (stopped) return;
      status.replaceChildren(offers.length ? table([t('catalog.offer'), t('policies.constraints'), t('col.actions')], offers.map((offer, index) => {
        const lines = constraintLines(offer);
        return h('tr', { dataset: { offer: offer['@id'] } }, h('td', { class: 'mono' }, offer['@id']),
          h('td', {}, lines.length ? lines.map(line => h('div', { class: 'mono' }, line)) : h('span', { class: 'muted' }, t('policies.noConstraint'))),
          h('td', {}, h('button', { type: 'button', id: `negotiate-${index}`, dataset: { action: 'negotiate' }, onclick: () => negotiate(source, offer) }, t('catalog.negotiate'))));
      }), 'offers-table') : h('p', { class: 'muted' }, t('catalog.noOffer')));
    } catch (error) {
      status.replaceChildren(h('div', { class: 'notice error' }, error.status === -1 ? t('catalog.noSource') : errorMessages(error).join(' ')));
    }
  })();

  async function negotiate(source, offer) {
    for (const button of panel.querySelectorAll('button[data-action=negotiate]')) button.disabled = true;
    const progress = h('div', { id: 'negotiation-status', class: 'notice' }, t('catalog.negotiating'));
    panel.append(h('h2', {}, t('catalog.negotiation')), progress);
    let negotiationId;
    try {
      negotiationId = (await management('POST', '/v3/contractnegotiations', { body: {
        '@context': [MANAGEMENT_CONTEXT], '@type': 'ContractRequest', counterPartyAddress: source.endpoint, protocol: DSP, policy: offer,
      } }))['@id'];
    } catch (error) {
      progress.className = 'notice error';
      progress.textContent = errorMessages(error).join(' ');
      return;
    }
    progress.dataset.negotiation = negotiationId;
    const ended = await follow(() => management('GET', `/v3/contractnegotiations/${encodeURIComponent(negotiationId)}`),
      n => ['FINALIZED', 'TERMINATED'].includes(n.state),
      (n, error) => {
        if (error) {
          progress.textContent = errorMessages(error).join(' ');
          return;
        }
        progress.dataset.state = n.state;
        if (n.state === 'TERMINATED') {
          progress.className = 'notice error';
          progress.replaceChildren(h('div', {}, t('catalog.refused')), h('div', { id: 'negotiation-reason', class: 'mono' }, n.errorDetail || t('catalog.noReason')));
        } else if (n.state === 'FINALIZED') {
          progress.className = 'notice ok';
          progress.replaceChildren(h('div', {}, t('catalog.agreed')), h('div', { class: 'mono', id: 'negotiation-agreement' }, n.contractAgreementId));
        } else {
          progress.replaceChildren(h('div', {}, t('catalog.negotiating'), ' ', badge(n.state, stateLabel(n.state))));
        }
      });
    if (ended?.state === 'FINALIZED') transferForm(source, ended.contractAgreementId);
  }

  function transferForm(source, agreementId) {
    const path = h('input', { id: 'transfer-destination', type: 'text', placeholder: '/var/kakehashi/inbox/data.csv' });
    const error = h('span', { class: 'field-error', id: 'transfer-destination-error' });
    const state = h('div', { id: 'transfer-status' });
    const form = h('form', { class: 'grid', id: 'transfer-form', novalidate: true },
      h('label', { class: 'field' }, t('catalog.transferType'), h('select', { id: 'transfer-type' },
        h('option', { value: 'GrpcStream-PULL' }, 'GrpcStream-PULL'), h('option', { value: 'GrpcStream-PUSH' }, 'GrpcStream-PUSH'))),
      h('label', { class: 'field wide' }, t('catalog.destination'), path, h('span', { class: 'muted hint' }, t('catalog.destinationHint')), error),
      h('div', { class: 'actions wide' }, h('button', { type: 'submit', id: 'transfer-submit' }, t('catalog.transfer'))));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      error.textContent = '';
      if (!path.value.trim()) {
        error.textContent = t('errors.required');
        return;
      }
      const type = form.querySelector('#transfer-type').value;
      const body = {
        '@context': { '@vocab': EDC }, '@type': 'TransferRequest', counterPartyAddress: source.endpoint, connectorId: source.peer,
        contractId: agreementId, protocol: DSP, transferType: type, privateProperties: { [DESTINATION_PATH]: path.value.trim() },
      };
      if (type.endsWith('-PUSH')) body.dataDestination = { '@type': 'DataAddress', type: 'GrpcStream' };
      let transferId;
      try {
        transferId = (await management('POST', '/v3/transferprocesses', { body }))['@id'];
      } catch (failure) {
        state.replaceChildren(h('div', { class: 'notice error' }, errorMessages(failure).join(' ')));
        return;
      }
      form.querySelector('#transfer-submit').disabled = true;
      state.dataset.transfer = transferId;
      await follow(async () => {
        const process = await management('GET', `/v3/transferprocesses/${encodeURIComponent(transferId)}`);
        let moved = null;
        try {
          moved = await management('GET', `/v1/kakehashi/transfers/${encodeURIComponent(transferId)}/progress`);
        } catch (failure) {
          if (failure.status !== 404) throw failure;
        }
        return { process, moved };
      }, ({ process }) => ['COMPLETED', 'TERMINATED'].includes(process.state), (value, failure) => {
        if (failure) {
          state.replaceChildren(h('div', { class: 'notice error' }, errorMessages(failure).join(' ')));
          return;
        }
        const { process, moved } = value;
        state.dataset.state = process.state;
        state.replaceChildren(h('div', { class: `notice ${process.state === 'TERMINATED' ? 'error' : process.state === 'COMPLETED' ? 'ok' : ''}` },
          h('div', {}, t('catalog.transferState'), ' ', badge(process.state, stateLabel(process.state))),
          moved ? h('div', { id: 'transfer-progress' },
            moved.percentage !== null && moved.percentage !== undefined ? h('progress', { max: 100, value: moved.percentage }) : null,
            ` ${formatBytes(moved.bytes)} · ${formatBytes(moved.bytesPerSecond)}/s`) : null,
          process.errorDetail ? h('div', { class: 'mono' }, process.errorDetail) : null,
          h('div', {}, h('a', { href: '#/transfers' }, t('catalog.toTransfers')))));
      });
    });
    panel.append(h('h2', {}, t('catalog.transferTitle')), form, state);
  }

  return stop;
}

// --- SPARQL ---------------------------------------------------------------------------------------------------------

export const EXAMPLE_QUERY = `PREFIX dct: <http://purl.org/dc/terms/>
PREFIX kh: <https://w3id.org/kakehashi/ns#>
SELECT ?peer ?dataset ?title WHERE {
  GRAPH <urn:kakehashi:catalog:graphs> { ?graph kh:peerId ?peer }
  GRAPH ?graph { ?dataset dct:title ?title }
} LIMIT 50`;

export async function sparqlConsole(root) {
  const text = h('textarea', { id: 'sparql-query', rows: 9, spellcheck: 'false', class: 'mono' }, EXAMPLE_QUERY);
  const result = h('div', { id: 'sparql-result' });
  const form = h('form', { class: 'grid', id: 'sparql-form' },
    h('label', { class: 'field wide' }, t('sparql.query'), text),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', id: 'sparql-run' }, t('sparql.run'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const answer = await sparql(text.value);
      if (typeof answer?.boolean === 'boolean') {
        result.replaceChildren(h('p', { id: 'sparql-count', class: 'verdict' }, t('sparql.ask', { answer: t(answer.boolean ? 'sparql.true' : 'sparql.false') })));
        return;
      }
      const vars = answer?.head?.vars || [];
      const rows = answer?.results?.bindings || [];
      result.replaceChildren(h('p', { id: 'sparql-count' }, t('sparql.count', { count: rows.length })),
        ...(rows.length ? [table(vars, rows.map(row => h('tr', {}, vars.map(name => h('td', { class: 'mono' },
          row[name] ? `${row[name].value}${row[name]['xml:lang'] ? `@${row[name]['xml:lang']}` : ''}` : '')))), 'sparql-table')] : []));
    } catch (error) {
      result.replaceChildren(h('div', { class: 'notice error', id: 'sparql-error' }, errorMessages(error).join(' ')));
    }
  });
  root.append(h('h1', {}, t('sparql.title')), h('p', { class: 'muted' }, t('sparql.explain')), form, result);
}
