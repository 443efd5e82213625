// The composer page. The payload object is the page's state: every input is
// bound to a JSON Pointer into it (data-path), so an error's `path` names the
// field it belongs to, and pasted JSON fills the form. Every rule comes from
// the wasend package (the Rust core in WebAssembly); nothing here checks one.
import {
  validate, preview, createClient, regions, isSendError, limits, limitAt, statusOrder, statusReached,
  templateFields, fillTemplate, lookupTemplate,
} from './wasend/browser.js';
import { $, el } from './dom.js';

const form = $('form');
const bodyFields = $('body-fields');
const state = {
  payload: starter('text', ''),
  region: sessionStorage.getItem('wasend-region') || '',
  token: sessionStorage.getItem('wasend-token') || '',
  templates: [],
  definition: null,
  // The picked template's inputs (the core's templateFields) and their values by key.
  fields: null,
  values: {},
  mode: null,
  result: null,
  following: null,
};

// ------------------------------------------------------------------ JSON Pointer
const keys = (p) => (p === '' ? [] : p.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')));
function getAt(obj, p) {
  let v = obj;
  for (const k of keys(p)) { if (v == null || typeof v !== 'object') return undefined; v = v[k]; }
  return v;
}
function setAt(obj, p, value) {
  const ks = keys(p);
  let v = obj;
  ks.slice(0, -1).forEach((k, i) => {
    if (v[k] == null || typeof v[k] !== 'object') v[k] = /^\d+$/.test(ks[i + 1]) ? [] : {};
    v = v[k];
  });
  v[ks[ks.length - 1]] = value;
}
/** Removes the containers above `p` that are left empty, up to (not including) `keep`. */
function prune(p, keep) {
  for (let at = p.slice(0, p.lastIndexOf('/')); at.length > keep.length && at.startsWith(keep); at = at.slice(0, at.lastIndexOf('/'))) {
    const v = getAt(state.payload, at);
    if (v == null || typeof v !== 'object' || Object.keys(v).length) return;
    const parentPath = at.slice(0, at.lastIndexOf('/'));
    const parent = getAt(state.payload, parentPath);
    if (Array.isArray(parent)) parent.splice(Number(at.slice(at.lastIndexOf('/') + 1)), 1);
    else delAt(state.payload, at);
  }
}
function delAt(obj, p) {
  const ks = keys(p);
  const parent = getAt(obj, ks.slice(0, -1).map((k) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
  if (parent && typeof parent === 'object') delete parent[ks[ks.length - 1]];
}

/** A limit of the core's table by its pointer (and what it counts, for a total). */
const LIMITS = limits();
const limitOf = (pointer, of) => LIMITS.find((l) => l.pointer === pointer && l.of === of);

// ------------------------------------------------------------------ starting payloads
function starter(type, to) {
  const bodies = {
    text: '',
    template: { name: '', language: '' },
    image: { url: '' }, video: { url: '' }, document: { url: '' }, audio: { url: '' }, sticker: { url: '' },
    interactive: interactiveStarter('button'),
    location: {},
    contacts: [contactStarter()],
    reaction: { message_id: '', emoji: '' },
  };
  return { to, type, [type]: structuredClone(bodies[type]) };
}
function contactStarter() { return { name: { formatted_name: '' } }; }
function interactiveStarter(kind) {
  switch (kind) {
    case 'list': return { type: 'list', body: { text: '' }, action: { button: '', sections: [{ rows: [{ id: 'row1', title: '' }] }] } };
    case 'cta_url': return { type: 'cta_url', body: { text: '' }, action: { name: 'cta_url', parameters: { display_text: '', url: '' } } };
    case 'location_request_message': return { type: 'location_request_message', body: { text: '' }, action: { name: 'send_location' } };
    default: return { type: 'button', body: { text: '' }, action: { buttons: [{ type: 'reply', reply: { id: 'btn1', title: '' } }] } };
  }
}

// ------------------------------------------------------------------ form building
let uid = 0;
/**
 * A labelled input bound to `path`; `counted` shows a live counter of the
 * core's limit at that path (`limitAt`, which follows the payload: a list's
 * body counts to 4096, a button message's to 1024). An `optional`
 * field emptied is removed from the payload, and so are the objects and arrays
 * it leaves empty, up to `keep` (a contact's phone: `phones: [{}]` is no phone).
 */
function field({ label, path, kind = 'input', counted, optional, placeholder, wrap, type = 'text', inputmode, keep, key, part }) {
  const id = `f${++uid}`;
  const value = key !== undefined ? (part ? state.values[key]?.[part] : state.values[key]) : wrap ? getAt(state.payload, wrap)?.text : getAt(state.payload, path);
  const attrs = {
    id, 'data-path': path, 'aria-describedby': `${id}-msg`, placeholder,
    'data-optional': optional ? '1' : undefined,
    'data-counted': counted ? '1' : undefined, 'data-wrap': wrap, 'data-keep': keep, 'data-key': key, 'data-part': part, inputmode,
  };
  const input = kind === 'textarea' ? el('textarea', { ...attrs, rows: 3 }) : el('input', { ...attrs, type, autocomplete: 'off' });
  input.value = value == null ? '' : String(value);
  return el('div', { class: 'field', 'data-field': path },
    el('label', { for: id, text: label }),
    input,
    counted ? el('span', { class: 'count', id: `${id}-count`, 'aria-hidden': 'true' }) : null,
    el('p', { class: 'msg', id: `${id}-msg` }));
}
/** A group of fields whose errors (counts, conflicts) belong to `path`. */
function group(legend, path, ...children) {
  return el('fieldset', { 'data-field': path }, el('legend', { text: legend }), ...children, el('p', { class: 'msg group-msg' }));
}
function select(label, options, value, onchange) {
  const id = `f${++uid}`;
  const s = el('select', { id, onchange });
  for (const [v, text] of options) s.append(el('option', { value: v, text }));
  s.value = value;
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), s);
}
const button = (text, onclick, disabled) => el('button', { type: 'button', class: 'small', onclick, disabled }, text);

function mediaFields(kind, base) {
  const m = getAt(state.payload, base) || {};
  const bySource = 'id' in m && !('url' in m) && !('link' in m) ? 'id' : 'url';
  // A pasted payload in Meta's words keeps its `link`.
  const urlKey = 'link' in m && !('url' in m) ? 'link' : 'url';
  const out = [select(`${kind[0].toUpperCase()}${kind.slice(1)} source`, [['url', 'A URL'], ['id', 'An uploaded media id']], bySource, (e) => {
    const old = getAt(state.payload, base) || {};
    const { url, link, id, ...rest } = old;
    setAt(state.payload, base, e.target.value === 'id' ? { id: '', ...rest } : { url: '', ...rest });
    rebuild();
  })];
  out.push(bySource === 'id'
    ? field({ label: 'Media id', path: `${base}/id` })
    : field({ label: `${kind} URL (https)`, path: `${base}/${urlKey}`, type: 'url', placeholder: 'https://example.com/file' }));
  return out;
}

function buildMedia(kind) {
  const base = `/${kind}`;
  const fields = mediaFields(kind, base);
  if (['image', 'video', 'document'].includes(kind)) fields.push(field({ label: 'Caption', path: `${base}/caption`, kind: 'textarea', counted: true, optional: true }));
  if (kind === 'document') fields.push(field({ label: 'File name', path: `${base}/filename`, optional: true, placeholder: 'invoice.pdf' }));
  return group(`${kind[0].toUpperCase()}${kind.slice(1)}`, base, ...fields);
}

function buildInteractive() {
  const i = state.payload.interactive || {};
  const kind = i.type || 'button';
  const parts = [select('Interactive type', [['button', 'Reply buttons'], ['list', 'List'], ['cta_url', 'Call-to-action URL'], ['location_request_message', 'Location request']], kind, (e) => {
    state.payload.interactive = interactiveStarter(e.target.value);
    rebuild();
  })];
  if (kind !== 'location_request_message') parts.push(field({ label: 'Header text (optional)', path: '/interactive/header/text', wrap: '/interactive/header', counted: true, optional: true }));
  parts.push(field({ label: 'Body text', path: '/interactive/body/text', kind: 'textarea', counted: true }));
  if (kind !== 'location_request_message') parts.push(field({ label: 'Footer text (optional)', path: '/interactive/footer/text', wrap: '/interactive/footer', counted: true, optional: true }));
  if (kind === 'button') {
    const buttons = i.action?.buttons || [];
    const items = buttons.map((_, n) => el('div', { class: 'item' },
      el('div', { class: 'grid2' },
        field({ label: `Button ${n + 1} title`, path: `/interactive/action/buttons/${n}/reply/title`, counted: true }),
        field({ label: `Button ${n + 1} id`, path: `/interactive/action/buttons/${n}/reply/id`, counted: true })),
      button(`Remove button ${n + 1}`, () => { buttons.splice(n, 1); rebuild(); }, buttons.length <= 1)));
    const most = limitOf('/interactive/action/buttons').max;
    parts.push(group(`Reply buttons (${buttons.length} of up to ${most})`, '/interactive/action/buttons', ...items,
      button('Add a button', () => { buttons.push({ type: 'reply', reply: { id: `btn${buttons.length + 1}`, title: '' } }); rebuild(); }, buttons.length >= most)));
  } else if (kind === 'list') {
    const sections = i.action?.sections || [];
    const total = sections.reduce((n, s) => n + (s.rows?.length || 0), 0);
    const maxRows = limitOf('/interactive/action/sections', 'rows across sections').max;
    const maxSections = limitOf('/interactive/action/sections').max;
    parts.push(field({ label: 'List button label', path: '/interactive/action/button', counted: true }));
    const secs = sections.map((s, si) => {
      const rows = (s.rows || []).map((_, ri) => el('div', { class: 'item' },
        el('div', { class: 'grid2' },
          field({ label: `Row ${ri + 1} title`, path: `/interactive/action/sections/${si}/rows/${ri}/title`, counted: true }),
          field({ label: `Row ${ri + 1} id`, path: `/interactive/action/sections/${si}/rows/${ri}/id`, counted: true })),
        field({ label: `Row ${ri + 1} description (optional)`, path: `/interactive/action/sections/${si}/rows/${ri}/description`, counted: true, optional: true }),
        button(`Remove row ${ri + 1} of section ${si + 1}`, () => { s.rows.splice(ri, 1); rebuild(); })));
      return group(`Section ${si + 1}`, `/interactive/action/sections/${si}`,
        field({ label: `Section ${si + 1} title${sections.length > 1 ? '' : ' (optional with one section)'}`, path: `/interactive/action/sections/${si}/title`, counted: true, optional: true }),
        group(`Rows of section ${si + 1}`, `/interactive/action/sections/${si}/rows`, ...rows),
        el('div', { class: 'row' },
          button(`Add a row to section ${si + 1}`, () => { (s.rows ||= []).push({ id: `row${total + 1}`, title: '' }); rebuild(); }, total >= maxRows),
          button(`Remove section ${si + 1}`, () => { sections.splice(si, 1); rebuild(); }, sections.length <= 1)));
    });
    parts.push(group(`Sections (rows: ${total}/${maxRows} in total)`, '/interactive/action/sections', ...secs,
      button('Add a section', () => { sections.push({ title: '', rows: [{ id: `row${total + 1}`, title: '' }] }); rebuild(); }, sections.length >= maxSections || total >= maxRows)));
  } else if (kind === 'cta_url') {
    parts.push(field({ label: 'Button text', path: '/interactive/action/parameters/display_text', counted: true }));
    parts.push(field({ label: 'Button URL', path: '/interactive/action/parameters/url', type: 'url', placeholder: 'https://example.com' }));
  }
  return group('Interactive message', '/interactive', ...parts);
}

function buildContacts() {
  const contacts = Array.isArray(state.payload.contacts) ? state.payload.contacts : [];
  const items = contacts.map((_, n) => {
    const base = `/contacts/${n}`;
    return group(`Contact ${n + 1}`, base,
      field({ label: `Contact ${n + 1} full name`, path: `${base}/name/formatted_name`, placeholder: 'Ana Silva' }),
      el('div', { class: 'grid2' },
        field({ label: `Contact ${n + 1} phone (optional)`, path: `${base}/phones/0/phone`, optional: true, keep: base, type: 'tel', inputmode: 'tel', placeholder: '+55 11 96123 4567' }),
        field({ label: `Contact ${n + 1} email (optional)`, path: `${base}/emails/0/email`, optional: true, keep: base, type: 'email', placeholder: 'ana@example.com' })),
      field({ label: `Contact ${n + 1} company (optional)`, path: `${base}/org/company`, optional: true, keep: base }),
      button(`Remove contact ${n + 1}`, () => { contacts.splice(n, 1); rebuild(); }, contacts.length <= 1));
  });
  return group(`Contacts (${contacts.length})`, '/contacts', ...items,
    button('Add a contact', () => { contacts.push(contactStarter()); rebuild(); }),
    el('p', { class: 'hint', text: 'More phones, emails, addresses or a birthday: edit the JSON panel.' }));
}

const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
function buildReaction() {
  const setEmoji = (emoji) => { setAt(state.payload, '/reaction/emoji', emoji); rebuild(); };
  return group('Reaction', '/reaction',
    field({ label: 'React to message id', path: '/reaction/message_id', placeholder: 'wamid.…' }),
    field({ label: 'Emoji (empty removes an earlier reaction)', path: '/reaction/emoji' }),
    el('div', { class: 'row', role: 'group', 'aria-label': 'Quick emoji' },
      ...QUICK_EMOJI.map((e) => el('button', { type: 'button', class: 'small', 'aria-label': `React with ${e}`, onclick: () => setEmoji(e) }, e)),
      button('No emoji (remove)', () => setEmoji(''))));
}

function buildLocation() {
  return group('Location', '/location',
    el('div', { class: 'grid2' },
      // Coordinates go as typed, a string holding a decimal number (RULES.md revision 2,
      // as Meta's own examples send them): the core reads them strictly, the page does not.
      field({ label: 'Latitude', path: '/location/latitude', inputmode: 'decimal', placeholder: '19.076' }),
      field({ label: 'Longitude', path: '/location/longitude', inputmode: 'decimal', placeholder: '72.8777' })),
    field({ label: 'Name (optional)', path: '/location/name', optional: true }),
    field({ label: 'Address (optional)', path: '/location/address', optional: true }));
}

// ------------------------------------------------------------------ templates
// The form is the core's: its inputs are templateFields(definition), its payload
// fillTemplate(definition, values). The page reads no placeholder, limit or
// button rule of its own.

/** The approved definition the payload's `template` names, by the core's lookup. */
function definitionOf(payload) {
  const at = payload?.type === 'template' ? lookupTemplate(state.templates, payload) : null;
  return at && 'found' in at ? state.templates[at.found] : null;
}

/** What the page validates and sends with: the region, and the picked template's definition. */
function validationOptions() {
  return { defaultRegion: state.region || undefined, template: state.payload.type === 'template' && state.definition ? state.definition : undefined };
}

/** Picks `def` (or none); its inputs come from the core, its values from `payload` when given. */
function useDefinition(def, payload) {
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
function fillPayload() {
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

function buildTemplate() {
  const t = state.payload.template || {};
  const parts = [];
  if (state.templates.length) {
    const current = state.definition ? state.templates.indexOf(state.definition) : -1;
    parts.push(select('Approved template', [['', 'Choose a template…'], ...state.templates.map((d, n) => [String(n), `${d.name} (${d.language})`])], current < 0 ? '' : String(current), (e) => {
      const def = state.templates[Number(e.target.value)];
      useDefinition(def);
      state.payload.template = def ? { name: def.name, language: def.language } : { name: '', language: '' };
      rebuild();
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

function rebuild() {
  uid = 0;
  const type = state.payload.type;
  $('f-type').value = type;
  $('f-to').value = state.payload.to ?? '';
  if (!$('account-field').hidden) $('f-account').value = state.payload.whatsapp_account ?? '';
  bodyFields.replaceChildren();
  if (type === 'text') bodyFields.append(field({ label: 'Message text', path: '/text', kind: 'textarea', counted: true }));
  else if (type === 'template') bodyFields.append(buildTemplate());
  else if (type === 'interactive') bodyFields.append(buildInteractive());
  else if (type === 'location') bodyFields.append(buildLocation());
  else if (type === 'contacts') bodyFields.append(buildContacts());
  else if (type === 'reaction') bodyFields.append(buildReaction());
  else if (['image', 'video', 'document', 'audio', 'sticker'].includes(type)) bodyFields.append(buildMedia(type));
  else bodyFields.append(el('p', { class: 'hint', text: `A ${type} message is edited in the JSON panel.` }));
  update();
}

// ------------------------------------------------------------------ validation shown at the fields
function targetOf(path) {
  let p = path;
  for (;;) {
    const found = document.querySelector(`[data-field="${CSS.escape(p)}"]`);
    if (found) return found;
    if (p === '') return null;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function update() {
  fillPayload();
  const options = validationOptions();
  const r = validate(state.payload, options);
  state.result = r;
  for (const f of document.querySelectorAll('[data-field]')) {
    const msg = f.querySelector(':scope > .msg');
    if (msg) msg.replaceChildren();
    f.querySelector(':scope > input, :scope > textarea, :scope > select')?.removeAttribute('aria-invalid');
  }
  const loose = [];
  for (const [issues, cls] of [[r.errors, 'e'], [r.warnings, 'w']]) {
    for (const issue of issues) {
      const target = targetOf(issue.path);
      const msg = target?.querySelector(':scope > .msg');
      if (!msg) { loose.push([issue, cls]); continue; }
      msg.append(el('span', { class: cls, text: cls === 'w' ? `Note: ${issue.message}` : issue.message }));
      if (cls === 'e') target.querySelector(':scope > input, :scope > textarea, :scope > select')?.setAttribute('aria-invalid', 'true');
    }
  }
  for (const input of document.querySelectorAll('[data-counted]')) {
    const n = [...input.value].length;
    const max = limitAt(state.payload, input.dataset.path)?.max;
    const count = $(`${input.id}-count`);
    if (count) { count.textContent = max === undefined ? '' : `${n}/${max}`; count.classList.toggle('over', max !== undefined && n > max); }
  }
  const summary = $('summary');
  summary.replaceChildren(r.valid
    ? el('span', { class: 'good', text: 'Ready to send.' })
    : el('span', { class: 'bad', text: `${r.errors.length} ${r.errors.length === 1 ? 'error' : 'errors'} to fix.` }));
  if (loose.length) summary.append(el('ul', {}, loose.map(([i, cls]) => el('li', { class: cls === 'e' ? 'bad' : '', text: `${i.path || 'payload'}: ${i.message}` }))));
  renderPreview();
  if (document.activeElement !== $('json')) $('json').value = JSON.stringify(state.payload, null, 2);
  const blocked = state.payload.type === 'template' && state.fields && !state.fields.sendable;
  $('send').disabled = !(r.valid && state.token) || blocked;
  $('send').title = !state.token ? 'Enter the client token first' : blocked ? state.fields.not_sendable : r.valid ? '' : 'Fix the errors first';
}

function renderPreview() {
  const bubble = $('bubble');
  bubble.replaceChildren();
  const r = preview(state.payload, state.payload.type === 'template' ? state.definition || undefined : undefined);
  if (!r) return;
  if (r.header) {
    if (r.header.type === 'text') bubble.append(el('div', { class: 'hdr', text: r.header.text || '' }));
    else bubble.append(el('div', { class: 'media', text: `[${r.header.type}] ${r.header.filename || r.header.url || r.header.id || r.header.text || ''}` }));
  }
  if (r.type === 'reaction') {
    // WhatsApp pins a reaction to the message it answers; it has no bubble of its own.
    const id = state.payload.reaction?.message_id || 'the message';
    bubble.append(el('div', { class: 'body', text: r.body ? `${r.body} on ${id}` : `Removes the reaction on ${id}` }));
    return;
  }
  if (r.body) bubble.append(el('div', { class: 'body', text: r.body }));
  if (r.type === 'template' && !state.definition && !r.body) bubble.append(el('div', { class: 'body', text: `Template ${state.payload.template?.name || ''}: pick it from the list to see its text.` }));
  if (r.footer) bubble.append(el('div', { class: 'ftr', text: r.footer }));
  if (r.buttons?.length) bubble.append(el('div', { class: 'btns' }, r.buttons.map((b) => el('div', { text: b.url ? `${b.text} ↗` : b.text }))));
  if (r.sections?.length) bubble.append(el('div', { class: 'sections', text: r.sections.map((s) => `${s.title ? `${s.title}: ` : ''}${s.rows.map((x) => x.title).join(', ')}`).join(' · ') }));
}

// ------------------------------------------------------------------ events
form.addEventListener('submit', (e) => e.preventDefault());
form.addEventListener('input', (e) => {
  const t = e.target;
  if (!t.dataset?.path || t.tagName === 'SELECT') return;
  bind(t);
});
form.addEventListener('change', (e) => {
  const t = e.target;
  if (!t.dataset?.path) return;
  if (t.id === 'f-type') {
    const { to, whatsapp_account: account } = state.payload;
    state.payload = starter(t.value, to);
    if (account) state.payload.whatsapp_account = account;
    useDefinition(null);
    rebuild();
    return;
  }
  if (t.tagName === 'SELECT') bind(t);
});

function bind(t) {
  const path = t.dataset.path;
  let v = t.value;
  if (t.dataset.key !== undefined) {
    const { key, part } = t.dataset;
    if (part) state.values[key] = { ...(state.values[key] || {}), [part]: v };
    else state.values[key] = v;
    if (part && v === '') delete state.values[key][part];
    update();
    return;
  }
  if (t.dataset.wrap) {
    if (v === '') delAt(state.payload, t.dataset.wrap);
    else setAt(state.payload, t.dataset.wrap, t.dataset.wrap.endsWith('header') ? { type: 'text', text: v } : { text: v });
  } else if (v === '' && t.dataset.optional) {
    delAt(state.payload, path);
    if (t.dataset.keep) prune(path, t.dataset.keep);
  } else setAt(state.payload, path, v);
  update();
}

$('region').addEventListener('change', (e) => {
  state.region = e.target.value;
  sessionStorage.setItem('wasend-region', state.region);
  update();
});

let jsonTimer;
function fromJson(now) {
  clearTimeout(jsonTimer);
  jsonTimer = setTimeout(() => {
    const text = $('json').value;
    try {
      const p = JSON.parse(text);
      if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error('a payload is a json object');
      state.payload = p;
      useDefinition(definitionOf(p), p);
      $('json-msg').textContent = 'Form filled from the JSON.';
      rebuild();
    } catch (err) {
      $('json-msg').textContent = `Not a payload yet: ${String(err.message).toLowerCase()}`;
    }
  }, now ? 0 : 300);
}
$('json').addEventListener('input', () => fromJson(false));
$('json').addEventListener('paste', () => setTimeout(() => fromJson(true), 0));
$('json').addEventListener('blur', () => { if (!$('json-msg').textContent.startsWith('Not')) $('json').value = JSON.stringify(state.payload, null, 2); });
$('copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(JSON.stringify(state.payload, null, 2));
    $('json-msg').textContent = 'Copied.';
  } catch {
    $('json').select();
    $('json-msg').textContent = 'Selected: press Ctrl+C to copy.';
  }
});

// ------------------------------------------------------------------ the Worker
const api = (path, init = {}) => fetch(path, { ...init, headers: { ...(init.headers || {}), ...(state.token ? { authorization: `Bearer ${state.token}` } : {}) } });

async function loadTemplates() {
  if (!state.token) return;
  try {
    const r = await api('/api/templates');
    if (!r.ok) { $('token-hint').textContent = r.status === 401 ? 'That token is not one of the Worker\'s client tokens.' : `Templates: http ${r.status}`; return; }
    state.templates = (await r.json()).data || [];
    $('token-hint').textContent = `Token accepted: ${state.templates.length} approved templates loaded.`;
    useDefinition(definitionOf(state.payload), state.payload);
    rebuild();
  } catch { $('token-hint').textContent = 'The Worker did not answer.'; }
}

async function loadRecent() {
  if (!state.token) return;
  try {
    const r = await api('/api/messages?limit=10');
    if (!r.ok) return;
    const { data } = await r.json();
    $('recent').replaceChildren(...data.map((m) => el('li', {},
      el('span', { text: `${m.type ?? ''} to ${m.recipient ?? '?'}` }),
      el('span', { text: m.status }),
      m.type !== 'reaction' && m.recipient
        ? el('button', { type: 'button', class: 'small', 'aria-label': `React to the ${m.type ?? ''} message to ${m.recipient}`, onclick: () => reactTo(m) }, 'React')
        : null)));
    if (!data.length) $('recent').replaceChildren(el('li', { text: 'Nothing sent yet.' }));
  } catch { /* the list is a convenience */ }
}

/** Starts a reaction to a sent message: its recipient, its id. */
function reactTo(m) {
  const account = state.payload.whatsapp_account;
  state.payload = { to: m.recipient, type: 'reaction', reaction: { message_id: m.id, emoji: '👍' } };
  if (account) state.payload.whatsapp_account = account;
  useDefinition(null);
  rebuild();
  $('f-type').focus();
}

const STATUS = statusOrder();
/** Has the message stopped moving: read, or failed? */
const settled = (status) => statusReached(status, STATUS.order[STATUS.order.length - 1]) || statusReached(status, STATUS.failed);

function timeline(status) {
  const failed = statusReached(status, STATUS.failed);
  // A failed message was sent, then failed: its steps before the last are done.
  const steps = failed ? [STATUS.order[0], STATUS.failed] : STATUS.order;
  $('timeline').hidden = false;
  $('timeline').replaceChildren(...steps.map((s, i) => el('li', {
    class: failed ? (i === steps.length - 1 ? 'failed' : 'done') : statusReached(status, s) ? 'done' : '',
    'aria-current': s === status ? 'step' : undefined, text: s,
  })));
}

async function follow(client, id) {
  const mine = Symbol('follow');
  state.following = mine;
  const deadline = Date.now() + 120_000;
  while (state.following === mine && Date.now() < deadline) {
    try {
      const s = await client.status(id);
      timeline(s.status);
      if (settled(s.status)) {
        if (s.failure) $('result').append(el('div', { class: 'e', text: `Failure: ${s.failure}` }));
        break;
      }
    } catch { /* try again */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  loadRecent();
}

$('send').addEventListener('click', async () => {
  if (!state.result?.valid || !state.token) return;
  const client = createClient({ baseUrl: location.origin, token: state.token });
  $('send').disabled = true;
  $('result').textContent = 'Sending…';
  $('timeline').hidden = true;
  try {
    const options = validationOptions();
    const { data } = await client.send(state.payload, options);
    $('result').replaceChildren(el('div', { text: `Sent: ${data.message_id}` }));
    timeline('sent');
    loadRecent();
    follow(client, data.message_id);
  } catch (e) {
    const what = isSendError(e) ? `${e.message}${e.status ? ` (http ${e.status})` : ''}` : String(e);
    $('result').replaceChildren(el('div', { class: 'e', text: `Not sent: ${what}` }));
  } finally {
    update();
  }
});

$('inbound').addEventListener('click', async () => {
  const r = await api('/api/sandbox/inbound', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: state.result?.payload?.to ?? state.payload.to }) });
  $('result').textContent = r.ok ? 'The sandbox played a reply from this number: its 24-hour window is open.' : `The sandbox refused: http ${r.status}`;
});

function useToken() {
  state.token = $('token').value.trim();
  sessionStorage.setItem('wasend-token', state.token);
  window.dispatchEvent(new Event('wasend-token'));
  loadTemplates();
  loadRecent();
  update();
}
$('auth').addEventListener('submit', (e) => { e.preventDefault(); useToken(); });

// ------------------------------------------------------------------ start
async function start() {
  const regionSelect = $('region');
  regionSelect.append(el('option', { value: '', text: 'None: numbers start with + or the country code' }));
  for (const r of regions()) regionSelect.append(el('option', { value: r.region, text: `${r.region} (+${r.callingCode})` }));
  regionSelect.value = state.region;
  $('token').value = state.token;
  try {
    const h = await (await fetch('/api/health')).json();
    state.mode = h.mode;
    $('mode').textContent = h.mode === 'sandbox'
      ? 'Sandbox: sends are answered by the Worker itself; a free-form message needs a reply from the number in the last 24 hours.'
      : 'Connected to the provider.';
    $('mode').classList.toggle('sandbox', h.mode === 'sandbox');
    $('inbound').hidden = h.mode !== 'sandbox';
    if ((h.accounts || []).length > 1) {
      $('account-field').hidden = false;
      $('f-account').append(el('option', { value: '', text: 'The default account' }), ...h.accounts.map((a) => el('option', { value: a, text: a })));
      $('f-account').dataset.optional = '1';
    }
  } catch { $('mode').textContent = 'The Worker did not answer /api/health.'; }
  rebuild();
  if (state.token) { loadTemplates(); loadRecent(); }
}
start();
