// Builders: payload objects for each message type, mirroring the Rust builders.
// They only assemble JSON; `build` (or `validate`) checks every rule, so a
// builder can never disagree with the validator.

const opt = (o, k, v) => (v === undefined ? o : { ...o, [k]: v });

function envelope(to, type, body, extra = {}) {
  let m = { to, type, [type]: body };
  m = opt(m, 'whatsapp_account', extra.whatsappAccount);
  if (extra.replyTo !== undefined) m.context = { message_id: extra.replyTo };
  return opt(m, 'biz_opaque_callback_data', extra.callbackData);
}

/** A media object: `media.url(u, { caption, filename })` or `media.id(i, …)`. */
export const media = {
  url: (url, more = {}) => ({ url, ...more }),
  id: (id, more = {}) => ({ id, ...more }),
};

export const message = {
  text: (to, text, extra) => envelope(to, 'text', text, extra),
  image: (to, m, extra) => envelope(to, 'image', m, extra),
  video: (to, m, extra) => envelope(to, 'video', m, extra),
  document: (to, m, extra) => envelope(to, 'document', m, extra),
  audio: (to, m, extra) => envelope(to, 'audio', m, extra),
  sticker: (to, m, extra) => envelope(to, 'sticker', m, extra),
  location: (to, { latitude, longitude, name, address }, extra) =>
    envelope(to, 'location', opt(opt({ latitude, longitude }, 'name', name), 'address', address), extra),
  contacts: (to, contacts, extra) => envelope(to, 'contacts', contacts, extra),
  reaction: (to, messageId, emoji, extra) => envelope(to, 'reaction', { message_id: messageId, emoji }, extra),
  /** Reply buttons: `buttons` is `[{ id, title }]`. */
  buttons: (to, { body, buttons, header, footer }, extra) =>
    envelope(to, 'interactive', interactive('button', body, header, footer, {
      buttons: buttons.map(({ id, title }) => ({ type: 'reply', reply: { id, title } })),
    }), extra),
  /** A list: `sections` is `[{ title?, rows: [{ id, title, description? }] }]`. */
  list: (to, { body, button, sections, header, footer }, extra) =>
    envelope(to, 'interactive', interactive('list', body, header, footer, { button, sections }), extra),
  ctaUrl: (to, { body, displayText, url, header, footer }, extra) =>
    envelope(to, 'interactive', interactive('cta_url', body, header, footer, {
      name: 'cta_url', parameters: { display_text: displayText, url },
    }), extra),
  locationRequest: (to, { body }, extra) =>
    envelope(to, 'interactive', { type: 'location_request_message', body: { text: body }, action: { name: 'send_location' } }, extra),
  /** A template: `template(to, { name, language, header?, body?, buttons? })`. */
  template: (to, { name, language, header, body, buttons }, extra) => {
    const components = [];
    if (header !== undefined) components.push({ type: 'header', parameters: [header] });
    if (body !== undefined) components.push({ type: 'body', parameters: body });
    for (const b of buttons || []) {
      components.push({ type: 'button', sub_type: b.subType, index: b.index, parameters: [b.parameter] });
    }
    return envelope(to, 'template', components.length ? { name, language, components } : { name, language }, extra);
  },
};

function interactive(type, body, header, footer, action) {
  let i = { type };
  if (header !== undefined) i.header = typeof header === 'string' ? { type: 'text', text: header } : header;
  i.body = { text: body };
  if (footer !== undefined) i.footer = { text: footer };
  i.action = action;
  return i;
}

/** Template parameters. */
export const param = {
  text: (text, name) => (name === undefined ? { type: 'text', text } : { type: 'text', parameter_name: name, text }),
  currency: (fallbackValue, code, amount1000) => ({ type: 'currency', currency: { fallback_value: fallbackValue, code, amount_1000: amount1000 } }),
  dateTime: (fallbackValue) => ({ type: 'date_time', date_time: { fallback_value: fallbackValue } }),
  image: (m) => ({ type: 'image', image: m }),
  video: (m) => ({ type: 'video', video: m }),
  document: (m) => ({ type: 'document', document: m }),
  payload: (payload) => ({ type: 'payload', payload }),
  couponCode: (code) => ({ type: 'coupon_code', coupon_code: code }),
};
