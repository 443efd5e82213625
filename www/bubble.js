// The preview bubble: a message as the core renders it (`preview`), drawn the
// same way wherever the page shows one (the composer, a campaign's row).
import { preview } from './wasend/browser.js';
import { el } from './dom.js';

/**
 * Draws `payload` into `bubble` as its recipient will read it; `definition` is a
 * template's approved definition, when known. Answers whether there was anything
 * to draw.
 */
export function drawBubble(bubble, payload, definition) {
  bubble.replaceChildren();
  const r = preview(payload, payload?.type === 'template' ? definition || undefined : undefined);
  if (!r) return false;
  if (r.header) {
    if (r.header.type === 'text') bubble.append(el('div', { class: 'hdr', text: r.header.text || '' }));
    else bubble.append(el('div', { class: 'media', text: `[${r.header.type}] ${r.header.filename || r.header.url || r.header.id || r.header.text || ''}` }));
  }
  if (r.type === 'reaction') {
    // WhatsApp pins a reaction to the message it answers; it has no bubble of its own.
    const id = payload.reaction?.message_id || 'the message';
    bubble.append(el('div', { class: 'body', text: r.body ? `${r.body} on ${id}` : `Removes the reaction on ${id}` }));
    return true;
  }
  if (r.body) bubble.append(el('div', { class: 'body', text: r.body }));
  if (r.type === 'template' && !definition && !r.body) bubble.append(el('div', { class: 'body', text: `Template ${payload.template?.name || ''}: pick it from the list to see its text.` }));
  if (r.footer) bubble.append(el('div', { class: 'ftr', text: r.footer }));
  if (r.buttons?.length) bubble.append(el('div', { class: 'btns' }, r.buttons.map((b) => el('div', { text: b.url ? `${b.text} ↗` : b.text }))));
  if (r.sections?.length) bubble.append(el('div', { class: 'sections', text: r.sections.map((s) => `${s.title ? `${s.title}: ` : ''}${s.rows.map((x) => x.title).join(', ')}`).join(' · ') }));
  return true;
}
