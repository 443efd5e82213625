// The template form. The form is the core's: its inputs are templateFields(definition),
// its payload fillTemplate(definition, values). The page reads no placeholder, limit or
// button rule of its own.
import { el } from '../dom.js';
import { templateFields, fillTemplate, lookupTemplate } from '../wasend/browser.js';
import { field, group, select } from './fields.js';
import { getAt } from './pointer.js';
import { state, view } from './state.js';

// The form is the core's: its inputs are templateFields(definition), its payload
// fillTemplate(definition, values). The page reads no placeholder, limit or
// button rule of its own.

/** The approved definition the payload's `template` names, by the core's lookup. */
export function definitionOf(payload) {
  const at = payload?.type === 'template' ? lookupTemplate(state.templates, payload) : null;
  return at && 'found' in at ? state.templates[at.found] : null;
}

/** What the page validates and sends with: the region, and the picked template's definition. */
export function validationOptions() {
  return { defaultRegion: state.region || undefined, template: state.payload.type === 'template' && state.definition ? state.definition : undefined };
}

/** Picks `def` (or none); its inputs come from the core, its values from `payload` when given. */
export function useDefinition(def, payload) {
  state.definition = def || null;
  state.fields = def ? templateFields(def) : null;
  state.values = {};
  if (def && payload) {
    // A payload pasted or kept: each input's value is where the core says it lands.
    for (const f of state.fields.fields) {
      const v = getAt(payload, f.pointer);
      if (v == null) continue;
      state.values[f.key] = typeof v === 'object' && f.type !== 'location' ? (v.link ?? v.url ?? v.id ?? '') : v;
    }
  }
}

/** The payload's `template` from the values: every required input present, if only empty, so that its error stands at its field. */
export function fillPayload() {
  const def = state.definition;
  if (!def) return;
  const values = {};
  for (const f of state.fields.fields) {
    const v = state.values[f.key];
    if (v !== undefined && v !== '') values[f.key] = v;
    else if (f.required) values[f.key] = f.type === 'location' ? {} : '';
  }
  const filled = fillTemplate(def, { ...values, to: state.payload.to ?? '' }, { defaultRegion: state.region || undefined });
  state.payload.template = filled.draft.template;
}

const MEDIA = ['image', 'video', 'document'];
const capital = (s) => `${s[0].toUpperCase()}${s.slice(1)}`;

/** One input of the template form, bound to its value key and placed at its pointer. */
function templateInput(f) {
  if (f.type === 'location') {
    const parts = [['latitude', 'Latitude', '19.076'], ['longitude', 'Longitude', '72.8777'], ['name', 'Name (optional)'], ['address', 'Address (optional)']];
    return group(capital(f.label), f.pointer, el('div', { class: 'grid2' }, ...parts.map(([part, label, placeholder]) => field({
      label, path: `${f.pointer}/${part}`, key: f.key, part, placeholder, inputmode: part.endsWith('itude') ? 'decimal' : undefined,
    }))));
  }
  const label = `${capital(f.label)}${f.required ? '' : ' (optional)'}${f.defaults_to ? `: the value of ${f.defaults_to} unless given` : ''}`;
  if (MEDIA.includes(f.type)) return field({ label: `${label}: a URL or a media id`, path: f.pointer, key: f.key, type: 'url', placeholder: 'https://example.com/header.jpg' });
  return field({ label, path: f.pointer, key: f.key, counted: Boolean(f.limit) });
}

export function buildTemplate() {
  const t = state.payload.template || {};
  const parts = [];
  if (state.templates.length) {
    const current = state.definition ? state.templates.indexOf(state.definition) : -1;
    parts.push(select('Approved template', [['', 'Choose a template…'], ...state.templates.map((d, n) => [String(n), `${d.name} (${d.language})`])], current < 0 ? '' : String(current), (e) => {
      const def = state.templates[Number(e.target.value)];
      useDefinition(def);
      state.payload.template = def ? { name: def.name, language: def.language } : { name: '', language: '' };
      view.rebuild();
    }));
  } else {
    parts.push(el('p', { class: 'hint', text: 'Enter the client token to pick from the approved templates; or type a name and language.' }));
    parts.push(el('div', { class: 'grid2' }, field({ label: 'Template name', path: '/template/name' }), field({ label: 'Language', path: '/template/language', placeholder: 'en_US' })));
  }
  const f = state.fields;
  if (f) {
    const about = [f.category, f.status].filter(Boolean).join(' · ');
    if (about) parts.push(el('p', { class: 'hint', id: 'template-about', text: about }));
    if (!f.sendable) parts.push(el('p', { class: 'bad', id: 'template-blocked', role: 'alert', text: `This template cannot be sent: ${f.not_sendable}` }));
    const inputs = f.fields.map(templateInput);
    if (inputs.length) parts.push(group('Template inputs', '/template/components', ...inputs));
    else parts.push(el('p', { class: 'hint', text: 'This template takes no inputs.' }));
  } else if (t.components?.length) {
    parts.push(el('p', { class: 'hint', text: 'Its parameters are edited in the JSON panel until the template is picked from the list.' }));
  }
  return group('Template', '/template', ...parts);
}
