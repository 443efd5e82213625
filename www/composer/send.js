// The composer and the Worker: the client token, the approved templates and the
// recent sends it lists, a send through the npm package's client and its status
// followed with the client's waitFor, the sandbox's reply.
import { $, el, api, client, token, setToken } from '../dom.js';
import { isSendError, statusOrder, statusReached } from '../wasend/browser.js';
import { state, view } from './state.js';
import { definitionOf, useDefinition, validationOptions } from './template-form.js';


export async function loadTemplates() {
  if (!token()) return;
  try {
    const r = await api('/api/templates');
    if (!r.ok) { $('token-hint').textContent = r.status === 401 ? 'That token is not one of the Worker\'s client tokens.' : `Templates: http ${r.status}`; return; }
    state.templates = (await r.json()).data || [];
    $('token-hint').textContent = `Token accepted: ${state.templates.length} approved templates loaded.`;
    useDefinition(definitionOf(state.payload), state.payload);
    view.rebuild();
  } catch { $('token-hint').textContent = 'The Worker did not answer.'; }
}

export async function loadRecent() {
  if (!token()) return;
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
  view.rebuild();
  $('f-type').focus();
}

const STATUS = statusOrder();

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

/** Follows a sent message through the core's status order with the client's waitFor. */
async function follow(worker, id) {
  const mine = Symbol('follow');
  state.following = mine;
  const deadline = Date.now() + 120_000;
  try {
    for (const target of STATUS.order.slice(1)) {
      const s = await worker.waitFor(id, target, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 1_000 });
      if (state.following !== mine) return;
      timeline(s.status);
    }
  } catch (e) {
    if (state.following === mine && isSendError(e) && e.kind === 'failed') {
      timeline(e.body.status);
      if (e.body.failure) $('result').append(el('div', { class: 'e', text: `Failure: ${e.body.failure}` }));
    }
    // A timeout leaves the timeline where it is: the message may still move.
  }
  loadRecent();
}

$('send').addEventListener('click', async () => {
  if (!state.result?.valid || !token()) return;
  const worker = client();
  $('send').disabled = true;
  $('result').textContent = 'Sending…';
  $('timeline').hidden = true;
  try {
    const options = validationOptions();
    const { data } = await worker.send(state.payload, options);
    $('result').replaceChildren(el('div', { text: `Sent: ${data.message_id}` }));
    timeline('sent');
    loadRecent();
    follow(worker, data.message_id);
  } catch (e) {
    const what = isSendError(e) ? `${e.message}${e.status ? ` (http ${e.status})` : ''}` : String(e);
    $('result').replaceChildren(el('div', { class: 'e', text: `Not sent: ${what}` }));
  } finally {
    view.update();
  }
});

$('inbound').addEventListener('click', async () => {
  const r = await api('/api/sandbox/inbound', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: state.result?.payload?.to ?? state.payload.to }) });
  $('result').textContent = r.ok ? 'The sandbox played a reply from this number: its 24-hour window is open.' : `The sandbox refused: http ${r.status}`;
});

function useToken() {
  setToken($('token').value.trim());
  loadTemplates();
  loadRecent();
  view.update();
}
$('auth').addEventListener('submit', (e) => { e.preventDefault(); useToken(); });
