// The Campaigns view. A list (a dropped or picked file, or pasted rows) is checked
// row by row in a Web Worker by the core's prepareCampaign before anything is sent:
// every bad cell shown at its row and column, duplicates and opt-outs named, any
// row previewed as its recipient will see it, the time it takes at the limits
// estimated. Then the campaign runs at the Worker: created with an
// Idempotency-Key, followed to the end (its id in the address, so a reload keeps
// it), paused, resumed, cancelled, its results downloaded. No rule lives here.
import { templateFields, isSendError, regions } from './wasend/browser.js';
import { $, el, token, api, client } from './dom.js';
import { drawBubble } from './bubble.js';

const PAGE = 50;
const view = {
  templates: [],
  definition: null,
  fields: [],
  text: '',
  mapping: {},
  checked: null,
  offset: 0,
  key: null,
  current: null,
  limits: null,
  following: null,
};

// ------------------------------------------------------------------ tabs
const tabs = [['tab-compose', 'view-compose'], ['tab-campaigns', 'view-campaigns']];
function show(tabId) {
  for (const [t, v] of tabs) {
    const on = t === tabId;
    $(t).setAttribute('aria-selected', String(on));
    $(t).tabIndex = on ? 0 : -1;
    $(v).hidden = !on;
  }
  if (tabId === 'tab-campaigns') enter();
}
for (const [t] of tabs) {
  $(t).addEventListener('click', () => {
    show(t);
    if (t === 'tab-compose' && location.hash) history.replaceState(null, '', location.pathname);
    if (t === 'tab-campaigns' && !location.hash) history.replaceState(null, '', '#campaigns');
  });
  $(t).addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.findIndex(([x]) => x === t);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length][0];
    $(next).focus();
    $(next).click();
  });
}

// ------------------------------------------------------------------ the checker
const checker = new Worker(new URL('./campaign-worker.js', import.meta.url), { type: 'module' });
let asked = 0;
const waiting = new Map();
checker.onmessage = ({ data }) => {
  const w = waiting.get(data.id);
  waiting.delete(data.id);
  if (w) (data.ok ? w.resolve(data.result) : w.reject(new Error(data.error)));
};
const ask = (op, args) => new Promise((resolve, reject) => {
  const id = ++asked;
  waiting.set(id, { resolve, reject });
  checker.postMessage({ id, op, args });
});

const say = (id, text, bad = false) => { $(id).textContent = text; $(id).classList.toggle('bad', bad); };
const why = (e) => (isSendError(e) ? `${e.message}${e.status ? ` (http ${e.status})` : ''}` : String(e?.message ?? e));

// ------------------------------------------------------------------ entering the view
let entered = false;
async function enter() {
  if (!token()) {
    say('c-status', 'Use your client token (above) to load the templates and your campaigns.', true);
    return;
  }
  if (!entered) {
    entered = true;
    const region = $('c-region');
    region.append(el('option', { value: '', text: 'None: numbers start with + or the country code' }));
    for (const r of regions()) region.append(el('option', { value: r.region, text: `${r.region} (+${r.callingCode})` }));
    try {
      const h = await (await fetch('/api/health')).json();
      view.limits = h.limits ?? null;
    } catch { view.limits = null; }
  }
  await Promise.all([loadTemplates(), loadPast(), loadSuppressions()]);
  const id = /^#campaign=(cmp_[0-9a-f]{24})$/.exec(location.hash)?.[1];
  if (id) follow(id);
}

async function loadTemplates() {
  const r = await api('/api/templates');
  if (!r.ok) { say('c-status', `The templates could not be loaded (http ${r.status}).`, true); return; }
  view.templates = (await r.json()).data.filter((d) => templateFields(d).sendable);
  const select = $('c-template');
  const was = select.value;
  select.replaceChildren(el('option', { value: '', text: 'Choose one' }),
    ...view.templates.map((d, i) => el('option', { value: String(i), text: `${d.name} (${d.language})${d.category ? `, ${d.category.toLowerCase()}` : ''}` })));
  select.value = was;
  say('c-status', `${view.templates.length} templates can be sent.`);
}

// ------------------------------------------------------------------ the list
$('c-template').addEventListener('change', () => {
  view.definition = view.templates[Number($('c-template').value)] ?? null;
  view.fields = view.definition ? templateFields(view.definition).fields : [];
  view.mapping = {};
  if (view.definition && !$('c-name').value) $('c-name').value = view.definition.name;
  check();
});
$('c-region').addEventListener('change', () => check());
let typing;
$('c-paste').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => { view.text = $('c-paste').value; view.mapping = {}; check(); }, 300);
});
async function useFile(file) {
  if (!file) return;
  view.text = await file.text();
  view.mapping = {};
  $('c-file-name').textContent = `${file.name}, ${Math.round(file.size / 1024)} KB`;
  check();
}
$('c-file').addEventListener('change', () => useFile($('c-file').files[0]));
const drop = $('c-drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); useFile(e.dataTransfer.files[0]); });
$('c-errors-only').addEventListener('change', () => { view.offset = 0; table(); });
$('c-prev').addEventListener('click', () => { view.offset = Math.max(0, view.offset - PAGE); table(); });
$('c-next').addEventListener('click', () => { view.offset += PAGE; table(); });

let checking = 0;
async function check() {
  const mine = ++checking;
  view.checked = null;
  view.key = null;
  $('c-start-btn').disabled = true;
  if (!view.definition || !view.text.trim()) {
    $('c-summary').replaceChildren(el('p', { text: view.definition ? 'Drop, pick or paste the list: a to (or phone) column and one column per template input.' : 'Choose a template first.' }));
    $('c-mapping').hidden = true;
    $('c-table-wrap').hidden = true;
    return;
  }
  $('c-summary').replaceChildren(el('p', { text: 'Checking every row…' }));
  let suppressed = [];
  try { suppressed = (await client().suppressions.list()).map((s) => s.number); } catch { /* checked at the Worker anyway */ }
  const options = { mapping: view.mapping, suppressed, ...($('c-region').value ? { defaultRegion: $('c-region').value } : {}) };
  let checked;
  try {
    checked = await ask('prepare', { text: view.text, definition: view.definition, options });
  } catch (e) {
    $('c-summary').replaceChildren(el('p', { class: 'bad', text: `The list could not be checked: ${e.message}` }));
    return;
  }
  if (mine !== checking) return;
  view.checked = checked;
  view.offset = 0;
  // One key per checked list: a double click or a retried request cannot start it twice.
  view.key = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  summary();
  mapping();
  await table();
}

function summary() {
  const c = view.checked;
  const s = c.summary;
  const parts = [el('p', {}, el('strong', { text: `${s.total} rows: ` }), `${s.valid} to send, ${s.invalid} invalid, ${s.duplicate} duplicate, ${s.opted_out} opted out.`)];
  for (const i of c.listIssues) parts.push(el('p', { class: 'bad', text: i.message }));
  if (c.skipped.length) {
    parts.push(el('details', {}, el('summary', { text: `${c.skipped.length} skipped as duplicates or opt-outs` }),
      el('ul', {}, c.skipped.slice(0, 200).map((x) => el('li', { text: `row ${x.row}: ${x.message}` })))));
  }
  if (s.valid && view.limits) {
    const perMinute = view.limits.campaign_per_minute;
    const minutes = Math.ceil(s.valid / perMinute);
    parts.push(el('p', { id: 'c-estimate', text: `Estimate: ${s.valid} messages at ${perMinute} a minute take about ${minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`}; ${s.total - s.valid} rows are skipped.` }));
  }
  $('c-summary').replaceChildren(...parts);
  $('c-start-btn').disabled = !(s.valid > 0 && !c.listIssues.length);
}

function mapping() {
  const box = $('c-mapping-list');
  const inputs = [{ key: 'to', label: 'Recipient (to)' }, ...view.fields.map((f) => ({ key: f.key, label: `${f.label} (${f.key})` }))];
  box.replaceChildren(...view.checked.columns.map((c, i) => {
    const id = `c-map-${i}`;
    const select = el('select', { id }, el('option', { value: '', text: 'Not used' }),
      ...inputs.map((x) => el('option', { value: x.key, text: x.label })));
    select.value = c.input ?? '';
    select.addEventListener('change', () => { view.mapping = { ...view.mapping, [c.name]: select.value }; check(); });
    return el('div', { class: 'field' }, el('label', { for: id, text: `Column “${c.name}”` }), select);
  }));
  $('c-mapping').hidden = !view.checked.columns.length;
}

async function table() {
  if (!view.checked) return;
  const errorsOnly = $('c-errors-only').checked;
  const page = await ask('page', { offset: view.offset, limit: PAGE, errorsOnly });
  const columns = view.checked.columns;
  const head = el('tr', {}, el('th', { scope: 'col', text: 'Row' }), ...columns.map((c) => el('th', { scope: 'col', text: c.name })), el('th', { scope: 'col', text: 'Result' }), el('th', { scope: 'col', text: 'Preview' }));
  const body = page.rows.map((r) => {
    const cells = columns.map((c, i) => {
      const issue = r.issues.find((x) => x.column === c.name);
      const text = String(r.cells[i] ?? '');
      const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text;
      return el('td', issue ? { class: 'bad', title: issue.message, 'data-column': c.name, 'data-label': c.name } : { 'data-column': c.name, 'data-label': c.name }, shown,
        issue ? el('span', { class: 'visually-hidden', text: ` (error: ${issue.message})` }) : null);
    });
    const other = r.issues.filter((x) => !columns.some((c) => c.name === x.column));
    const result = {
      ready: 'ready',
      invalid: `invalid: ${r.issues.map((x) => x.message).join('; ')}`,
      duplicate: `duplicate of row ${r.of}`,
      opted_out: 'opted out',
    }[r.status];
    return el('tr', { 'data-row': String(r.row), class: r.status === 'ready' ? '' : 'skip' }, el('th', { scope: 'row', text: `Row ${r.row}` }), ...cells,
      el('td', { class: `outcome${r.status === 'invalid' && other.length ? ' bad' : ''}`, 'data-label': 'Result', text: result }),
      el('td', { 'data-label': 'Preview' }, el('button', { type: 'button', class: 'small', text: 'Preview', 'aria-label': `Preview row ${r.row}`, onclick: () => previewRow(r.row), disabled: r.status !== 'ready' })));
  });
  $('c-rows').replaceChildren(el('caption', { text: `Rows ${page.total ? view.offset + 1 : 0}–${Math.min(view.offset + PAGE, page.total)} of ${page.total}${errorsOnly ? ' not sent (invalid, duplicate, opted out)' : ''}` }), el('thead', {}, head), el('tbody', {}, body));
  $('c-prev').disabled = view.offset === 0;
  $('c-next').disabled = view.offset + PAGE >= page.total;
  $('c-table-wrap').hidden = false;
}

async function previewRow(row) {
  const r = await ask('row', { row });
  if (!r?.payload || !drawBubble($('c-bubble'), r.payload, view.definition)) { $('c-bubble').textContent = 'This row is not sent.'; return; }
  $('c-preview-title').textContent = `Preview of row ${row}, to ${r.to}`;
}

// ------------------------------------------------------------------ starting
$('c-start-btn').addEventListener('click', async () => {
  if (!view.checked || !view.definition) return;
  $('c-start-btn').disabled = true;
  const when = $('c-start').value;
  try {
    const made = await client().campaigns.create({
      name: $('c-name').value.trim() || view.definition.name,
      template: { name: view.definition.name, language: view.definition.language },
      csv: view.text,
      mapping: Object.keys(view.mapping).length ? view.mapping : undefined,
      startAt: when ? new Date(when) : undefined,
      defaultRegion: $('c-region').value || undefined,
    }, { idempotencyKey: view.key });
    say('c-start-result', `Campaign ${made.id} created: ${made.valid} of ${made.total} rows to send.`);
    location.hash = `campaign=${made.id}`;
    follow(made.id);
    loadPast();
  } catch (e) {
    say('c-start-result', `Not started: ${why(e)}`, true);
    $('c-start-btn').disabled = false;
  }
});

// ------------------------------------------------------------------ following one
async function follow(id) {
  const mine = Symbol('follow');
  view.following = mine;
  $('c-current').hidden = false;
  let announced = '';
  try {
    for await (const c of client().campaigns.progress(id, { intervalMs: 1_000 })) {
      if (view.following !== mine) return;
      view.current = c;
      progress(c);
      const now = `${c.status}${c.paused_reason ? `: ${c.paused_reason}` : ''}`;
      if (now !== announced) { announced = now; say('c-announce', `Campaign ${c.name} is ${now}.`); }
    }
    await results(id);
    loadPast();
  } catch (e) {
    say('c-current-status', `The campaign could not be read: ${why(e)}`, true);
  }
}

function progress(c) {
  const n = c.counts;
  const done = n.sent + n.delivered + n.read + n.failed + n.skipped;
  $('c-current-title').textContent = `${c.name} (${c.id})`;
  say('c-current-status', `${c.status}${c.paused_reason ? `: ${c.paused_reason}` : ''}`, c.status === 'paused');
  $('c-progress').max = c.total || 1;
  $('c-progress').value = done;
  $('c-progress').setAttribute('aria-valuetext', `${done} of ${c.total} rows done`);
  $('c-counts').replaceChildren(...Object.entries(n).map(([k, v]) => el('li', { 'data-count': k }, el('span', { text: k }), el('strong', { text: String(v) }))));
  // What may be done now is the Worker's answer, from the core's campaign machine.
  for (const action of ['pause', 'resume', 'cancel']) $(`c-${action}`).disabled = !c.actions.includes(action);
  $('c-download').disabled = false;
}

async function act(what) {
  const c = view.current;
  if (!c) return;
  try {
    progress(await client().campaigns[what](c.id));
    if (what === 'resume') follow(c.id);
  } catch (e) {
    say('c-current-status', `Could not ${what}: ${why(e)}`, true);
  }
}
$('c-pause').addEventListener('click', () => act('pause'));
$('c-resume').addEventListener('click', () => act('resume'));
$('c-cancel').addEventListener('click', () => act('cancel'));

async function results(id) {
  const page = await client().campaigns.recipients(id, { limit: 100 });
  $('c-results').replaceChildren(el('caption', { text: `The first ${page.data.length} rows` }),
    el('thead', {}, el('tr', {}, ['Row', 'To', 'Status', 'Why'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, page.data.map((r) => el('tr', { 'data-row': String(r.row) }, el('th', { scope: 'row', text: String(r.row) }), el('td', { text: r.to ?? '' }),
      el('td', { text: r.status }), el('td', { text: r.error ? `${r.error.class}: ${r.error.message}` : (r.reason ?? '') })))));
  $('c-results').hidden = false;
}

$('c-download').addEventListener('click', async () => {
  const c = view.current;
  if (!c) return;
  try {
    const csv = await client().campaigns.recipients(c.id, { csv: true });
    const a = el('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: `${c.name || c.id}-results.csv` });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (e) {
    say('c-current-status', `The results could not be downloaded: ${why(e)}`, true);
  }
});

// ------------------------------------------------------------------ past campaigns, suppressions
async function loadPast() {
  try {
    const { data } = await client().campaigns.list({ limit: 20 });
    $('c-past').replaceChildren(...(data.length ? data.map((c) => el('li', {},
      el('span', { text: `${c.name}: ${c.status}, ${c.counts.sent + c.counts.delivered + c.counts.read} sent, ${c.counts.failed} failed, ${c.counts.skipped} skipped of ${c.total}` }),
      el('button', { type: 'button', class: 'small', text: 'Open', 'aria-label': `Open campaign ${c.name}`, onclick: () => { location.hash = `campaign=${c.id}`; follow(c.id); } }))) : [el('li', { text: 'No campaigns yet.' })]));
  } catch (e) {
    $('c-past').replaceChildren(el('li', { class: 'bad', text: `Could not list campaigns: ${why(e)}` }));
  }
}

async function loadSuppressions() {
  try {
    const list = await client().suppressions.list();
    $('c-supp-list').replaceChildren(...(list.length ? list.map((s) => el('li', {},
      el('span', { text: `${s.number}${s.reason ? ` (${s.reason})` : ''}, ${s.source}${s.added_by ? `, added by ${s.added_by}` : ''}` }),
      el('button', { type: 'button', class: 'small', text: 'Lift', 'aria-label': `Lift the opt-out of ${s.number}`, onclick: async () => {
        try { await client().suppressions.remove(s.number); } catch (e) { say('c-supp-msg', why(e), true); }
        loadSuppressions();
        check();
      } }))) : [el('li', { text: 'Nobody has opted out.' })]));
  } catch (e) {
    $('c-supp-list').replaceChildren(el('li', { class: 'bad', text: `Could not list opt-outs: ${why(e)}` }));
  }
}
$('c-supp-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const number = $('c-supp-number').value.trim();
  if (!number) return;
  try {
    const r = await client().suppressions.add(number, $('c-supp-reason').value.trim() || undefined);
    say('c-supp-msg', `${r.number} will not get marketing templates or campaigns.`);
    $('c-supp-number').value = '';
  } catch (err) {
    say('c-supp-msg', why(err), true);
  }
  loadSuppressions();
  check();
});

// The address says which view: `#campaigns`, or `#campaign=<id>` to follow one.
if (/^#campaign/.test(location.hash)) show('tab-campaigns');
// A token given in Compose counts here too.
window.addEventListener('wasend-token', () => { if (!$('view-campaigns').hidden) enter(); });
