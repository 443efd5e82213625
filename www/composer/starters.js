// The payload a message kind starts from when it is picked: its required members,
// empty, so that each error stands at its field until filled.
export function starter(type, to) {
  const bodies = {
    text: '',
    template: { name: '', language: '' },
    image: { url: '' }, video: { url: '' }, document: { url: '' }, audio: { url: '' }, sticker: { url: '' },
    interactive: interactiveStarter('button'),
    location: {},
    contacts: [contactStarter()],
    reaction: { message_id: '', emoji: '' },
  };
  return { to, type, [type]: structuredClone(bodies[type]) };
}
export function contactStarter() { return { name: { formatted_name: '' } }; }
export function interactiveStarter(kind) {
  switch (kind) {
    case 'list': return { type: 'list', body: { text: '' }, action: { button: '', sections: [{ rows: [{ id: 'row1', title: '' }] }] } };
    case 'cta_url': return { type: 'cta_url', body: { text: '' }, action: { name: 'cta_url', parameters: { display_text: '', url: '' } } };
    case 'location_request_message': return { type: 'location_request_message', body: { text: '' }, action: { name: 'send_location' } };
    default: return { type: 'button', body: { text: '' }, action: { buttons: [{ type: 'reply', reply: { id: 'btn1', title: '' } }] } };
  }
}
