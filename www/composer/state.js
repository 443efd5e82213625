// The composer's state: the payload (the page's one source of truth: every input
// is bound to a JSON Pointer into it), the templates and the picked one, and the
// two redraws any part may ask for (set by app.js, which owns the form).
import { starter } from './starters.js';

export const state = {
  payload: starter('text', ''),
  region: sessionStorage.getItem('wasend-region') || '',
  templates: [],
  definition: null,
  // The picked template's inputs (the core's templateFields) and their values by key.
  fields: null,
  values: {},
  mode: null,
  result: null,
  following: null,
};

/** Redraw the form (`rebuild`) or only what follows from the payload (`update`). */
export const view = { rebuild() {}, update() {} };
