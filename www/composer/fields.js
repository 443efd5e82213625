// The composer's form parts: a labelled input bound to a pointer (with the core's
// live count), a group that owns its errors, a select, a small button.
import { el } from '../dom.js';
import { getAt } from './pointer.js';
import { state } from './state.js';

let uid = 0;
/** Ids start again with each redraw of the form. */
export function resetIds() { uid = 0; }
/**
 * A labelled input bound to `path`; `counted` shows a live counter of the
 * core's limit at that path (`limitAt`, which follows the payload: a list's
 * body counts to 4096, a button message's to 1024). An `optional`
 * field emptied is removed from the payload, and so are the objects and arrays
 * it leaves empty, up to `keep` (a contact's phone: `phones: [{}]` is no phone).
 */
export function field({ label, path, kind = 'input', counted, optional, placeholder, wrap, type = 'text', inputmode, keep, key, part }) {
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
export function group(legend, path, ...children) {
  return el('fieldset', { 'data-field': path }, el('legend', { text: legend }), ...children, el('p', { class: 'msg group-msg' }));
}
export function select(label, options, value, onchange) {
  const id = `f${++uid}`;
  const s = el('select', { id, onchange });
  for (const [v, text] of options) s.append(el('option', { value: v, text }));
  s.value = value;
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), s);
}
export const button = (text, onclick, disabled) => el('button', { type: 'button', class: 'small', onclick, disabled }, text);
