// Compiled by `tsc --strict` (tests/npm/tsconfig.json): the published types
// describe the API as it is used, and reject what it does not accept.
import {
  validate, validateJson, validateMany, normalizePhone, preview, metadataVersion, createClient, isSendError,
  message, media, param, limits, limitAt, statusOrder, statusReached,
  type PreparedCampaign, type FailureRule, type CreatedCampaign, type Page, type CampaignRecipient, type Suppression,
  type ValidationResult, type Issue, type Code, type Payload, type PhoneResult, type Rendered, type SendResult,
  type TemplateDefinition, type MessageStatus, type DeliveryStatus, type Limit, type PhoneIssue,
} from 'wasend';
import { prepareCampaign, failureClasses, classifyFailure, readCampaignList } from 'wasend/campaigns';

const definition: TemplateDefinition = {
  name: 'order_confirmation', language: 'en',
  components: [{ type: 'BODY', text: 'Hi {{1}}' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://t.example.com/{{1}}' }] }],
};
const p: Payload = message.template('+919876543210', { name: 'order_confirmation', language: 'en', body: [param.text('John')] });
const r: ValidationResult = validate(p, { defaultRegion: 'IN', template: definition });
if (!r.valid) {
  const first: Issue | undefined = r.errors[0];
  const code: Code | undefined = first?.code;
  const limit: number | undefined = first?.limit;
  void code; void limit;
}
const fromJson: ValidationResult = validateJson('{"to":"+919876543210","type":"text","text":"hi"}');
const many: ValidationResult[] = validateMany([p, fromJson.payload]);
const phone: PhoneResult = normalizePhone('09876543210', { defaultRegion: 'IN' });
const e164: string | undefined = phone.e164;
const phoneErrors: PhoneIssue[] = phone.errors;
const other: string | undefined = phone.warnings[0]?.suggestion;
const all: Limit[] = limits();
const counter: number | undefined = limitAt(p, '/template/components/0/parameters/0/text')?.max;
const order: string[] = statusOrder().order;
const done: boolean = statusReached('read', 'delivered');
const linked: Payload = { to: '+919876543210', type: 'audio', audio: { link: 'https://example.com/a.ogg', voice: true } };
const pinned: Payload = { to: '+919876543210', type: 'location', location: { latitude: '19.07', longitude: 72.87 } };
const rendered: Rendered | null = preview(p, definition);
const version: string = metadataVersion();
const typed: Payload = { to: '+919876543210', type: 'image', image: media.url('https://example.com/a.jpg', { caption: 'x' }) };
const buttons: Payload = message.buttons('+919876543210', { body: 'b', buttons: [{ id: 'a', title: 'A' }] });

const client = createClient({ baseUrl: 'https://wasend.example.workers.dev', token: 't', retries: 2 });
async function send(): Promise<string> {
  try {
    const res: SendResult = await client.send(typed, { idempotencyKey: 'k1', defaultRegion: 'IN' });
    const read: MessageStatus = await client.waitFor(res.data.message_id, 'read', { timeoutMs: 10_000 });
    const now: DeliveryStatus = (await client.status(res.data.message_id)).status;
    return `${res.data.message_id} ${read.history.length} ${now}`;
  } catch (e) {
    if (isSendError(e)) return `${e.kind} ${e.status ?? ''} ${e.retryAfter ?? ''}`;
    throw e;
  }
}

const prepared: PreparedCampaign = prepareCampaign('to,1\n+919876543210,Ana\n', definition, { mapping: { phone: 'to' }, suppressed: ['+447911123456'] });
const firstReady: Payload | undefined = prepared.rows.find((r) => r.status === 'ready')?.payload;
const failureTable: FailureRule[] = failureClasses();
const failureClass: string = classifyFailure(400, { message: '(#132000) x' }).class;
async function campaign(): Promise<number> {
  const made: CreatedCampaign = await client.campaigns.create({ template: { name: 'order_confirmation', language: 'en' }, rows: [{ to: '+919876543210' }], startAt: new Date() });
  let sent = 0;
  for await (const c of client.campaigns.progress(made.id)) sent = c.counts.sent;
  const page: Page<CampaignRecipient> = await client.campaigns.recipients(made.id, { status: 'failed' });
  const csv: string = await client.campaigns.recipients(made.id, { csv: true });
  const gone: Suppression[] = await client.suppressions.list();
  return sent + page.data.length + csv.length + gone.length;
}
// @ts-expect-error: campaign options have no `template`
prepareCampaign('to\n', definition, { template: definition });

// @ts-expect-error: a payload type that does not exist
const wrongType: Payload = { to: '+919876543210', type: 'sms', sms: 'hi' };
// @ts-expect-error: options are typed
validate(p, { defualtRegion: 'IN' });
// @ts-expect-error: the client needs a token
createClient({ baseUrl: 'https://x' });

// @ts-expect-error: a phone verdict has `errors`, not `error`
void phone.error;

void phoneErrors; void other; void all; void counter; void order; void done; void linked; void pinned;
void many; void e164; void rendered; void version; void buttons; void send; void wrongType;
void firstReady; void failureTable; void failureClass; void campaign;
const cells = readCampaignList('to\n+919876543210\n');
if ('columns' in cells) cells.rows.forEach((r) => r.cells);
