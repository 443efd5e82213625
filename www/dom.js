// What every view of the page shares: elements by id, an element builder, the
// Worker (this page's origin), the client token of this browser session, and
// requests to the Worker with it: raw, or through the npm package's client.
import { createClient } from './wasend/browser.js';

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

/** The Worker that serves this page. */
export const BASE = location.origin;

export const token = () => sessionStorage.getItem('wasend-token') || '';

/** Keeps the token for this session and tells every view. */
export function setToken(value) {
  sessionStorage.setItem('wasend-token', value);
  window.dispatchEvent(new Event('wasend-token'));
}

export const api = (path, init = {}) => fetch(new URL(path, BASE), {
  ...init, headers: { ...(init.headers || {}), ...(token() ? { authorization: `Bearer ${token()}` } : {}) },
});

/** The npm package's client for the Worker, with this session's token. */
export const client = () => createClient({ baseUrl: BASE, token: token() });
