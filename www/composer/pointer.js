// JSON Pointers (RFC 6901) into the payload: every input of the composer is bound
// to one, and every issue of the core names one.
const keys = (p) => (p === '' ? [] : p.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')));
export function getAt(obj, p) {
  let v = obj;
  for (const k of keys(p)) { if (v == null || typeof v !== 'object') return undefined; v = v[k]; }
  return v;
}
export function setAt(obj, p, value) {
  const ks = keys(p);
  let v = obj;
  ks.slice(0, -1).forEach((k, i) => {
    if (v[k] == null || typeof v[k] !== 'object') v[k] = /^\d+$/.test(ks[i + 1]) ? [] : {};
    v = v[k];
  });
  v[ks[ks.length - 1]] = value;
}
/** Removes the containers above `p` that are left empty, up to (not including) `keep`. */
export function prune(obj, p, keep) {
  for (let at = p.slice(0, p.lastIndexOf('/')); at.length > keep.length && at.startsWith(keep); at = at.slice(0, at.lastIndexOf('/'))) {
    const v = getAt(obj, at);
    if (v == null || typeof v !== 'object' || Object.keys(v).length) return;
    const parentPath = at.slice(0, at.lastIndexOf('/'));
    const parent = getAt(obj, parentPath);
    if (Array.isArray(parent)) parent.splice(Number(at.slice(at.lastIndexOf('/') + 1)), 1);
    else delAt(obj, at);
  }
}
export function delAt(obj, p) {
  const ks = keys(p);
  const parent = getAt(obj, ks.slice(0, -1).map((k) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
  if (parent && typeof parent === 'object') delete parent[ks[ks.length - 1]];
}
