// Operator views: policies built from the constraints the connector knows, and contract definitions.
import { t, errorMessages } from './i18n.js';
import { management, query, EDC } from './api.js';
import { h, table } from './dom.js';

const KP = 'https://w3id.org/kakehashi/policy/';
const ODRL = 'http://www.w3.org/ns/odrl/2/';
export const ODRL_CONTEXT = 'http://www.w3.org/ns/odrl.jsonld';

/**
 * The constraints the connector registers (policy-engine/constraints): the short name its messages start with, the
 * left operand, the operators it allows and whether the right operand is a list (for isAnyOf/isNoneOf).
 */
export const CONSTRAINTS = [
  { name: 'purpose', operand: `${KP}purpose`, operators: ['eq', 'isAnyOf', 'isNoneOf'] },
  { name: 'jurisdiction', operand: `${KP}consumerJurisdiction`, operators: ['isAnyOf', 'isNoneOf', 'eq', 'neq'] },
  { name: 'dateTime', operand: `${ODRL}dateTime`, operators: ['gteq', 'lteq', 'gt', 'lt', 'eq', 'neq'] },
  { name: 'elapsedTime', operand: `${ODRL}elapsedTime`, operators: ['lteq', 'lt'] },
  { name: 'count', operand: `${ODRL}count`, operators: ['lteq', 'lt'] },
  { name: 'transfer.maxBytes', operand: `${KP}transfer.maxBytes`, operators: ['lteq'] },
  { name: 'transfer.maxMessages', operand: `${KP}transfer.maxMessages`, operators: ['lteq'] },
  { name: 'compute.jobCount', operand: `${KP}compute.jobCount`, operators: ['lteq', 'lt'] },
  { name: 'ai.modelExport', operand: `${KP}ai.modelExport`, operators: ['eq'] },
  { name: 'ai.minAggregation', operand: `${KP}ai.minAggregation`, operators: ['gteq', 'eq'] },
  { name: 'ai.dpEpsilon', operand: `${KP}ai.dpEpsilon`, operators: ['lteq'] },
  { name: 'membership', operand: `${KP}membership`, operators: ['eq', 'isAnyOf'] },
  { name: 'certification', operand: `${KP}certification`, operators: ['eq', 'isAnyOf'] },
  { name: 'onwardTransfer', operand: `${KP}onwardTransfer`, operators: ['eq', 'isAnyOf'] },
  { name: 'counterpartyLegalId', operand: `${KP}counterpartyLegalId`, operators: ['eq', 'isAnyOf'] },
];

const LIST_OPERATORS = ['isAnyOf', 'isNoneOf'];

/** The ODRL constraint of one row: a list operator takes the comma-separated values as a JSON array. */
export function constraintOf(name, operator, value) {
  const known = CONSTRAINTS.find(c => c.name === name);
  const text = String(value ?? '').trim();
  const rightOperand = LIST_OPERATORS.includes(operator) ? text.split(/[,、]/).map(v => v.trim()).filter(Boolean) : text;
  return { leftOperand: known ? known.operand : name, operator, rightOperand };
}

/** The management API's PolicyDefinition: one `use` permission holding every constraint. */
export function policyDefinitionOf(id, constraints) {
  const permission = { action: 'use' };
  if (constraints.length) permission.constraint = constraints;
  return {
    '@context': { '@vocab': EDC },
    '@type': 'PolicyDefinition',
    '@id': id,
    policy: { '@context': ODRL_CONTEXT, '@type': 'Set', permission: [permission] },
  };
}

/** Which constraint a validation message is about: the messages start with the constraint's short name. */
export function constraintNameOf(message) {
  const text = String(message || '');
  const names = CONSTRAINTS.map(c => c.name).sort((a, b) => b.length - a.length);
  return names.find(name => text.includes(`${name}: `) || text.includes(`/${name}'`) || text.includes(`${name}'`)) || null;
}

// the values of a compacted JSON-LD property, whatever prefix the API wrote it with
function field(node, name) {
  if (!node || typeof node !== 'object') return undefined;
  const key = Object.keys(node).find(k => k === name || k.endsWith(`:${name}`) || k.endsWith(`/${name}`) || k.endsWith(`#${name}`));
  return key === undefined ? undefined : node[key];
}

function plain(value) {
  if (Array.isArray(value)) return value.map(plain).join(', ');
  if (value && typeof value === 'object') return plain(value['@value'] ?? value['@id'] ?? field(value, 'value') ?? JSON.stringify(value));
  const text = String(value ?? '');
  return text.replace(KP, '').replace(ODRL, 'odrl:');
}

// a known constraint or operator in the current language, with the policy's own term in brackets; others as they are
function operandLabel(term) {
  const known = CONSTRAINTS.find(c => c.operand === term || c.operand.replace(ODRL, '') === term || c.operand.replace(KP, '') === term
    || `odrl:${c.operand.replace(ODRL, '')}` === term);
  const name = plain(term);
  return known ? `${t(`constraint.${known.name}`)} (${name})` : name;
}

function operatorLabel(term) {
  const name = plain(term).replace(/^odrl:/, '');
  return [...new Set(CONSTRAINTS.flatMap(c => c.operators))].includes(name) ? t(`operator.${name}`) : name;
}

/** The constraints of a stored policy or an offer, one line each: what is constrained, how, and the value. */
export function constraintLines(policy) {
  const lines = [];
  for (const permission of [].concat(field(policy, 'permission') || [])) {
    for (const constraint of [].concat(field(permission, 'constraint') || [])) {
      const parts = [].concat(field(constraint, 'and') || field(constraint, 'or') || constraint);
      for (const part of parts) {
        const left = field(part, 'leftOperand');
        const term = left && typeof left === 'object' ? left['@id'] ?? left['@value'] : left;
        const operator = field(part, 'operator');
        lines.push(`${operandLabel(term)} ${operatorLabel(operator && typeof operator === 'object' ? operator['@id'] ?? operator['@value'] : operator)} ${plain(field(part, 'rightOperand'))}`);
      }
    }
  }
  return lines;
}

// --- policies -----------------------------------------------------------------------------------------------------

export async function policies(root) {
  const form = h('form', { class: 'grid', id: 'policy-form', novalidate: true });
  const rows = h('div', { class: 'wide constraints', id: 'policy-constraints' });
  const notice = h('div', { id: 'policy-notice', class: 'notice', hidden: true });
  const listing = h('div', { id: 'policy-list' });
  let counter = 0;

  function addRow() {
    const index = counter++;
    const operator = h('select', { id: `constraint-${index}-operator`, class: 'constraint-operator' });
    const name = h('select', { id: `constraint-${index}-name`, class: 'constraint-name' },
      CONSTRAINTS.map(c => h('option', { value: c.name }, t(`constraint.${c.name}`))));
    const value = h('input', { id: `constraint-${index}-value`, class: 'constraint-value', type: 'text' });
    const hint = h('span', { class: 'muted hint', id: `constraint-${index}-hint` });
    const error = h('span', { class: 'field-error', id: `constraint-${index}-error` });
    const fill = () => {
      const known = CONSTRAINTS.find(c => c.name === name.value);
      operator.replaceChildren(...known.operators.map(o => h('option', { value: o }, t(`operator.${o}`))));
      hint.textContent = t(`constraintHint.${known.name}`);
    };
    name.addEventListener('change', fill);
    fill();
    const row = h('div', { class: 'constraint-row', id: `constraint-${index}`, dataset: { index } },
      h('label', { class: 'field' }, t('policies.constraint'), name),
      h('label', { class: 'field' }, t('policies.operator'), operator),
      h('label', { class: 'field grow' }, t('policies.value'), value, hint, error),
      h('button', { type: 'button', class: 'secondary', id: `constraint-${index}-remove`, onclick: () => row.remove() }, t('policies.remove')));
    rows.append(row);
  }

  form.append(
    h('label', { class: 'field', id: 'policy-id-field' }, t('policies.id'), h('input', { id: 'policy-id', name: 'id', type: 'text' }),
      h('span', { class: 'field-error', id: 'policy-id-error' })),
    h('p', { class: 'muted wide' }, t('policies.explain')),
    rows,
    h('div', { class: 'actions wide' },
      h('button', { type: 'button', class: 'secondary', id: 'policy-add-constraint', onclick: addRow }, t('policies.addConstraint')),
      h('button', { type: 'submit', id: 'policy-submit' }, t('policies.submit'))));

  async function refresh() {
    const all = await query('/v3/policydefinitions/request');
    listing.replaceChildren(all.length ? table([t('col.id'), t('policies.constraints')], all.map(definition => {
      const lines = constraintLines(definition.policy || field(definition, 'policy'));
      return h('tr', { dataset: { policy: definition['@id'] } }, h('td', { class: 'mono' }, definition['@id']),
        h('td', {}, lines.length ? lines.map(line => h('div', { class: 'mono' }, line)) : h('span', { class: 'muted' }, t('policies.noConstraint'))));
    }), 'policies-table') : h('p', { class: 'muted' }, t('app.none')));
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    for (const element of form.querySelectorAll('.field-error')) element.textContent = '';
    for (const element of form.querySelectorAll('.invalid')) element.classList.remove('invalid');
    notice.hidden = true;
    const id = form.querySelector('#policy-id').value.trim();
    if (!id) {
      form.querySelector('#policy-id-error').textContent = t('errors.required');
      form.querySelector('#policy-id-field').classList.add('invalid');
      return;
    }
    const entries = [...rows.querySelectorAll('.constraint-row')].map(row => ({
      row,
      name: row.querySelector('.constraint-name').value,
      constraint: constraintOf(row.querySelector('.constraint-name').value, row.querySelector('.constraint-operator').value,
        row.querySelector('.constraint-value').value),
    }));
    try {
      await management('POST', '/v3/policydefinitions', { body: policyDefinitionOf(id, entries.map(e => e.constraint)) });
      notice.className = 'notice ok';
      notice.textContent = t('policies.created', { id });
      notice.hidden = false;
      rows.replaceChildren();
      await refresh();
    } catch (error) {
      const lines = error.status === 400 ? [t('policies.invalid')] : [];
      lines.push(...errorMessages(error));
      if (error.status === 400) {
        for (const detail of error.details || []) {
          const name = constraintNameOf(detail.message);
          const entry = entries.find(e => e.name === name);
          if (!entry) continue;
          entry.row.querySelector('.field.grow').classList.add('invalid');
          const slot = entry.row.querySelector('.field-error');
          slot.textContent = slot.textContent ? `${slot.textContent} ${detail.message}` : detail.message;
        }
      }
      notice.className = 'notice error';
      notice.replaceChildren(...lines.map(message => h('div', {}, message)));
      notice.hidden = false;
    }
  });

  addRow();
  root.append(h('h1', {}, t('policies.title')), h('h2', {}, t('policies.create')), form, notice, h('h2', {}, t('policies.list')), listing);
  await refresh();
}

// --- contract definitions -----------------------------------------------------------------------------------------

/** The management API's ContractDefinition; an empty asset id offers every asset. */
export function contractDefinitionOf(id, accessPolicyId, contractPolicyId, assetId) {
  const definition = { '@context': { '@vocab': EDC }, '@type': 'ContractDefinition', '@id': id, accessPolicyId, contractPolicyId, assetsSelector: [] };
  if (assetId) definition.assetsSelector.push({ '@type': 'Criterion', operandLeft: `${EDC}id`, operator: '=', operandRight: assetId });
  return definition;
}

function selectorText(definition) {
  const criteria = [].concat(definition.assetsSelector || field(definition, 'assetsSelector') || []);
  if (!criteria.length) return t('definitions.allAssets');
  return criteria.map(c => `${plain(field(c, 'operandLeft')).replace(EDC, '')} ${plain(field(c, 'operator'))} ${plain(field(c, 'operandRight'))}`).join('; ');
}

export async function definitions(root) {
  const [policyList, assetList] = await Promise.all([query('/v3/policydefinitions/request'), query('/v3/assets/request')]);
  const policySelect = id => h('select', { id, name: id }, policyList.map(p => h('option', { value: p['@id'] }, p['@id'])));
  const form = h('form', { class: 'grid', id: 'definition-form', novalidate: true },
    h('label', { class: 'field', id: 'definition-id-field' }, t('definitions.id'), h('input', { id: 'definition-id', type: 'text' }),
      h('span', { class: 'field-error', id: 'definition-id-error' })),
    h('label', { class: 'field' }, t('definitions.accessPolicy'), policySelect('definition-access'), h('span', { class: 'muted hint' }, t('definitions.accessHint'))),
    h('label', { class: 'field' }, t('definitions.contractPolicy'), policySelect('definition-contract'), h('span', { class: 'muted hint' }, t('definitions.contractHint'))),
    h('label', { class: 'field' }, t('definitions.asset'), h('select', { id: 'definition-asset' },
      h('option', { value: '' }, t('definitions.allAssets')), assetList.map(a => h('option', { value: a['@id'] }, a['@id'])))),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', id: 'definition-submit' }, t('definitions.submit'))));
  const notice = h('div', { id: 'definition-notice', class: 'notice', hidden: true });
  const listing = h('div', { id: 'definition-list' });

  async function refresh() {
    const all = await query('/v3/contractdefinitions/request');
    listing.replaceChildren(all.length ? table([t('col.id'), t('definitions.accessPolicy'), t('definitions.contractPolicy'), t('definitions.selector')],
      all.map(d => h('tr', { dataset: { definition: d['@id'] } }, h('td', { class: 'mono' }, d['@id']),
        h('td', { class: 'mono' }, plain(d.accessPolicyId ?? field(d, 'accessPolicyId'))), h('td', { class: 'mono' }, plain(d.contractPolicyId ?? field(d, 'contractPolicyId'))),
        h('td', { class: 'mono' }, selectorText(d)))), 'definitions-table') : h('p', { class: 'muted' }, t('app.none')));
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    notice.hidden = true;
    form.querySelector('#definition-id-error').textContent = '';
    form.querySelector('#definition-id-field').classList.remove('invalid');
    const id = form.querySelector('#definition-id').value.trim();
    if (!id) {
      form.querySelector('#definition-id-error').textContent = t('errors.required');
      form.querySelector('#definition-id-field').classList.add('invalid');
      return;
    }
    try {
      await management('POST', '/v3/contractdefinitions', { body: contractDefinitionOf(id, form.querySelector('#definition-access').value,
        form.querySelector('#definition-contract').value, form.querySelector('#definition-asset').value) });
      notice.className = 'notice ok';
      notice.textContent = t('definitions.created', { id });
      await refresh();
    } catch (error) {
      notice.className = 'notice error';
      notice.replaceChildren(...errorMessages(error).map(message => h('div', {}, message)));
    }
    notice.hidden = false;
  });

  root.append(h('h1', {}, t('definitions.title')),
    ...(policyList.length ? [h('h2', {}, t('definitions.create')), form, notice] : [h('p', { class: 'notice' }, t('definitions.needPolicy'))]),
    h('h2', {}, t('definitions.list')), listing);
  await refresh();
}
