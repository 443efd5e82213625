// The composer page. The payload object is the page's state: every input is
// bound to a JSON Pointer into it (data-path), so an error's `path` names the
// field it belongs to, and pasted JSON fills the form. Every rule comes from
// the wasend package (the Rust core in WebAssembly); nothing here checks one.
import { validate, regions, limits, limitAt } from './wasend/browser.js';
import { $, el, api, token } from './dom.js';
import { drawBubble } from './bubble.js';
import { getAt, setAt, prune, delAt } from './composer/pointer.js';
import { starter, contactStarter, interactiveStarter } from './composer/starters.js';
import { state, view } from './composer/state.js';
import { field, group, select, button, resetIds } from './composer/fields.js';
import { definitionOf, validationOptions, useDefinition, fillPayload, buildTemplate } from './composer/template-form.js';
import { loadTemplates, loadRecent } from './composer/send.js';

const form = $('form');
const bodyFields = $('body-fields');

/** A limit of the core's table by its pointer (and what it counts, for a total). */
const LIMITS = limits();
const limitOf = (pointer, of) => LIMITS.find((l) => l.pointer === pointer && l.of === of);

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

function rebuild() {
  resetIds();
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
  $('send').disabled = !(r.valid && token()) || blocked;
  $('send').title = !token() ? 'Enter the client token first' : blocked ? state.fields.not_sendable : r.valid ? '' : 'Fix the errors first';
}

function renderPreview() {
  drawBubble($('bubble'), state.payload, state.definition);
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
    if (t.dataset.keep) prune(state.payload, path, t.dataset.keep);
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

view.rebuild = rebuild;
view.update = update;

// ------------------------------------------------------------------ start
async function start() {
  const regionSelect = $('region');
  regionSelect.append(el('option', { value: '', text: 'None: numbers start with + or the country code' }));
  for (const r of regions()) regionSelect.append(el('option', { value: r.region, text: `${r.region} (+${r.callingCode})` }));
  regionSelect.value = state.region;
  $('token').value = token();
  try {
    const h = await (await api('/api/health')).json();
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
  if (token()) { loadTemplates(); loadRecent(); }
}
start();
