// What every view of the page shares: elements by id, an element builder, the
// client token of this browser session, and requests to the Worker with it.
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c) e.append(c);
  return e;
}

export const token = () => sessionStorage.getItem('wasend-token') || '';

export const api = (path, init = {}) => fetch(path, {
  ...init, headers: { ...(init.headers || {}), ...(token() ? { authorization: `Bearer ${token()}` } : {}) },
});
