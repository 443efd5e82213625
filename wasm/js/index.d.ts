// Types of the wasend npm package. The shapes are RULES.md's, as the Rust core
// produces them; `tests/npm/types.ts` checks this file with `tsc --strict`.

/** Every error and warning code of RULES.md. */
export type Code =
  | 'invalid_json' | 'required' | 'unknown_field' | 'wrong_type' | 'invalid_enum' | 'empty'
  | 'too_long' | 'too_short' | 'too_many' | 'too_few' | 'out_of_range' | 'duplicate' | 'conflict'
  | 'type_mismatch' | 'invalid_url' | 'invalid_format' | 'param_whitespace'
  | 'phone_format' | 'phone_country_code' | 'phone_too_short' | 'phone_too_long' | 'phone_invalid'
  | 'template_param_count' | 'template_param_name' | 'template_header_format' | 'template_button'
  | 'template_not_found'
  | 'phone_normalized' | 'phone_not_mobile' | 'phone_whatsapp_id' | 'phone_ambiguous' | 'insecure_url' | 'media_extension'
  | 'location_address_hidden';

export type Unit = 'chars' | 'items' | 'digits' | 'parameters' | 'degrees' | 'index';

/** One error or warning: where (a JSON Pointer into the payload), what, and the limit crossed. */
export interface Issue {
  code: Code;
  path: string;
  message: string;
  limit?: number;
  actual?: number;
  unit?: Unit;
  /** For `unknown_field`: the known field it probably meant; for `phone_ambiguous`: the other reading. */
  suggestion?: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  /** The normalized payload to send (canonical `to`, `null` fields dropped), when valid. */
  payload?: Payload;
}

/** Meta's template object, as the template API returns it (other fields are ignored). */
export interface TemplateDefinition {
  name: string;
  language: string;
  status?: 'APPROVED' | 'PAUSED' | 'DISABLED' | 'REJECTED' | 'PENDING' | 'IN_APPEAL' | string;
  category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION' | string;
  parameter_format?: 'POSITIONAL' | 'NAMED' | string;
  components?: Array<{
    type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | string;
    format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION' | string;
    text?: string;
    buttons?: Array<{ type: string; text?: string; url?: string; phone_number?: string; otp_type?: string }>;
    [other: string]: unknown;
  }>;
  [other: string]: unknown;
}

export interface Options {
  /** ISO 3166-1 alpha-2 region to read national numbers in (`"IN"`). */
  defaultRegion?: string;
  /** The approved template a template message must match. */
  template?: TemplateDefinition;
}

// ---------------------------------------------------------------- payloads

/** `url`, or Meta's name for it `link`, or a media `id`; `voice` only on audio. */
export interface Media { url?: string; link?: string; id?: string; caption?: string; filename?: string; voice?: boolean }
export type Parameter =
  | { type: 'text'; text: string; parameter_name?: string }
  | { type: 'currency'; currency: { fallback_value: string; code: string; amount_1000: number }; parameter_name?: string }
  | { type: 'date_time'; date_time: { fallback_value: string; day_of_week?: number | string; year?: number; month?: number; day_of_month?: number; hour?: number; minute?: number; calendar?: string }; parameter_name?: string }
  | { type: 'image'; image: Media }
  | { type: 'video'; video: Media }
  | { type: 'document'; document: Media }
  | { type: 'location'; location: Location }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string }
  | { type: 'action'; action: Record<string, unknown> };
/** `type` and `sub_type` in any case (the normalized payload has them in lowercase). */
export interface Component {
  type: 'header' | 'body' | 'button' | Uppercase<'header' | 'body' | 'button'>;
  sub_type?: 'quick_reply' | 'url' | 'copy_code' | 'flow' | 'catalog' | Uppercase<'quick_reply' | 'url' | 'copy_code' | 'flow' | 'catalog'>;
  index?: number | string;
  parameters?: Parameter[];
}
export interface Template {
  name: string;
  language: string | { code: string; policy?: 'deterministic' };
  components?: Component[];
}
/** Coordinates as numbers, or strings holding decimal numbers (Meta's examples send strings). */
export interface Location { latitude: number | string; longitude: number | string; name?: string; address?: string }
export interface Contact {
  name: { formatted_name: string; first_name?: string; last_name?: string; middle_name?: string; suffix?: string; prefix?: string };
  phones?: Array<{ phone?: string; type?: string; wa_id?: string }>;
  emails?: Array<{ email?: string; type?: string }>;
  urls?: Array<{ url?: string; type?: string }>;
  addresses?: Array<{ street?: string; city?: string; state?: string; zip?: string; country?: string; country_code?: string; type?: string }>;
  org?: { company?: string; department?: string; title?: string };
  birthday?: string;
}
export type Header =
  | { type: 'text'; text: string }
  | { type: 'image'; image: Media }
  | { type: 'video'; video: Media }
  | { type: 'document'; document: Media };
export type Interactive =
  | { type: 'button'; header?: Header; body: { text: string }; footer?: { text: string };
      action: { buttons: Array<{ type: 'reply'; reply: { id: string; title: string } }> } }
  | { type: 'list'; header?: Header; body: { text: string }; footer?: { text: string };
      action: { button: string; sections: Array<{ title?: string; rows: Array<{ id: string; title: string; description?: string }> }> } }
  | { type: 'cta_url'; header?: Header; body: { text: string }; footer?: { text: string };
      action: { name: 'cta_url'; parameters: { display_text: string; url: string } } }
  | { type: 'location_request_message'; body: { text: string }; action: { name: 'send_location' } };

interface Envelope {
  to: string;
  whatsapp_account?: string;
  context?: { message_id: string };
  biz_opaque_callback_data?: string;
}
/** A send-API payload, one shape per `type`. */
export type Payload = Envelope & (
  | { type: 'text'; text: string }
  | { type: 'template'; template: Template }
  | { type: 'image'; image: Media }
  | { type: 'video'; video: Media }
  | { type: 'document'; document: Media }
  | { type: 'audio'; audio: Media }
  | { type: 'sticker'; sticker: Media }
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'location'; location: Location }
  | { type: 'contacts'; contacts: Contact[] }
  | { type: 'reaction'; reaction: { message_id: string; emoji: string } }
);

// ---------------------------------------------------------------- functions

/** Validates a payload object; never throws for a bad payload (bad options throw a TypeError). */
export function validate(payload: unknown, options?: Options): ValidationResult;
/** Validates JSON text; never throws for bad input. */
export function validateJson(json: string, options?: Options): ValidationResult;
/** Validates a JSON array or NDJSON of payloads (or an array); one result per payload. */
export function validateMany(input: string | unknown[], options?: Options): ValidationResult[];

export type NumberType =
  | 'fixed_line' | 'mobile' | 'fixed_line_or_mobile' | 'toll_free' | 'premium_rate' | 'shared_cost'
  | 'voip' | 'personal_number' | 'pager' | 'uan' | 'voicemail';
/** A phone issue: an `Issue` without a path; `suggestion` is the other reading of an ambiguous number. */
export interface PhoneIssue { code: Code; message: string; limit?: number; actual?: number; unit?: 'digits'; suggestion?: string }
/** The phone verdict, the same shape in Rust (`phone::Verdict`), the CLI's `phone --json` and here. */
export interface PhoneResult {
  valid: boolean;
  /** `+` and digits, when valid. */
  e164?: string;
  region?: string;
  type?: NumberType;
  errors: PhoneIssue[];
  warnings: PhoneIssue[];
}
/** A phone number's verdict on libphonenumber metadata, as RULES.md reads a payload's `to`. Bad options throw a TypeError. */
export function normalizePhone(input: string, options?: Options): PhoneResult;

/** Just `normalizePhone(input, options).valid`, without building the verdict. Bad options throw a TypeError. */
export function isValidPhone(input: string, options?: Options): boolean;

/** `isValidPhone` for a whole list in one call (the fast path for bulk lists). */
export function isValidPhoneMany(inputs: string[], options?: Options): boolean[];

/** One input of an approved template (`templateFields`). */
export interface TemplateField {
  /** The value's key for `fillTemplate`: `'1'`, `'first_name'`, `'header'`, `'button_0'`. */
  key: string;
  component: 'header' | 'body' | 'button';
  type: 'text' | 'image' | 'video' | 'document' | 'location' | 'coupon_code' | 'otp' | 'flow_token';
  label: string;
  placeholder?: string;
  sub_type?: NonNullable<Component['sub_type']>;
  index?: number;
  limit?: Limit;
  required: boolean;
  /** The key whose value it takes when it has none (an OTP button takes the body's code). */
  defaults_to?: string;
  /** Where the value lands in `fillTemplate`'s payload. */
  pointer: string;
}
export interface TemplateFields {
  name: string;
  language: string;
  category?: string;
  status?: string;
  /** False for a status other than APPROVED; `not_sendable` says why. */
  sendable: boolean;
  not_sendable?: string;
  fields: TemplateField[];
}
/** An issue of `fillTemplate`, with the value key it belongs to. */
export interface FieldIssue extends Issue { field?: string }
export interface FillResult {
  valid: boolean;
  errors: FieldIssue[];
  warnings: FieldIssue[];
  payload?: Payload;
  /** The payload as built from the values given, valid or not (a form's live view). */
  draft: Record<string, unknown>;
}
/** Every input a template definition needs, from the core. */
export function templateFields(definition: TemplateDefinition): TemplateFields;
/** A payload from values by key (and `to`), validated against the definition. */
export function fillTemplate(definition: TemplateDefinition, values: Record<string, unknown>, options?: Options): FillResult;
/** Which of `definitions` a template payload names (the core's lookup), or null when it names none. */
export function lookupTemplate(definitions: TemplateDefinition[], payload: unknown): { found: number } | { languages: string[] } | { nearest: string | null } | null;

/** A RULES.md limit: `min..max` of `unit` at `pointer` (`*` is any array index) where every `when` holds. */
export interface Limit {
  pointer: string;
  min: number;
  /** Absent when unbounded. */
  max?: number;
  unit: Unit;
  /** What is counted when it is not the value at `pointer` (`rows across sections`). */
  of?: string;
  when?: Array<{ pointer: string; is?: string[]; sole?: true }>;
}
/** Every RULES.md limit, from the core. */
export function limits(): Limit[];
/** The limit that applies at `path` of `payload` (a form's counter), or null. */
export function limitAt(payload: unknown, path: string): Limit | null;
/** The status order, from the core. */
export function statusOrder(): { order: ['sent', 'delivered', 'read']; failed: 'failed' };
/** Has a message whose status is `current` reached `target`? `failed` is reached only by failing. Throws a TypeError for an unknown target. */
export function statusReached(current: string, target: DeliveryStatus): boolean;

export interface Rendered {
  type: Payload['type'];
  header?: { type: 'text' | 'image' | 'video' | 'document' | 'audio' | 'sticker' | 'location'; text?: string; url?: string; id?: string; filename?: string };
  body?: string;
  footer?: string;
  buttons?: Array<{ type: string; text: string; url?: string }>;
  sections?: Array<{ title?: string; rows: Array<{ title: string; description?: string }> }>;
}
/** The message as the recipient will read it (a template's text needs its definition). */
export function preview(payload: unknown, definition?: TemplateDefinition): Rendered | null;
/** A payload as Meta's Cloud API receives it; `account` (its `whatsapp_account`) selects the sender. Translate a validated payload. */
export function toMeta(payload: Payload): { body: Record<string, unknown>; account?: string };
/** A payload in Meta's Cloud API format as the provider's; `account` becomes its `whatsapp_account`. */
export function fromMeta(body: Record<string, unknown>, account?: string): Payload;
/** Every region of the phone metadata with its calling code, sorted by region. */
export function regions(): Array<{ region: string; callingCode: string }>;
/** The libphonenumber metadata release inside the module. */
export function metadataVersion(): string;

// ---------------------------------------------------------------- campaigns

export interface CampaignOptions extends Omit<Options, 'template'> {
  /** `column name → template input` (`{ mobile: 'to', 'first name': 'first_name' }`); other columns match by name. */
  mapping?: Record<string, string>;
  /** Numbers that opted out (every WhatsApp-id form of each is skipped). */
  suppressed?: string[];
}
/** A problem of one row (or of the list, without `row`). */
export interface RowIssue extends Omit<Issue, 'path'> {
  /** Data rows count from 1; the header is no row. */
  row?: number;
  /** The CSV line the row starts on. */
  line?: number;
  /** The column, by the list's own name for it. */
  column?: string;
}
/** A row that is valid but not sent: `duplicate` (of an earlier row) or `recipient_opted_out`. */
export interface Skipped {
  row: number;
  line?: number;
  code: 'duplicate' | 'recipient_opted_out';
  message: string;
  /** A duplicate's earlier row. */
  of?: number;
}
export interface PreparedRow {
  row: number;
  line?: number;
  /** In E.164 when the row is valid, else as the list wrote it. */
  to?: string;
  status: 'ready' | 'invalid' | 'duplicate' | 'opted_out';
  /** A ready row's normalized payload. */
  payload?: Payload;
  of?: number;
}
export interface PreparedCampaign {
  summary: { total: number; valid: number; invalid: number; duplicate: number; opted_out: number };
  rows: PreparedRow[];
  /** Every problem, by row and column (and the list's own, without `row`). */
  issues: RowIssue[];
  /** The rows that are valid but not sent (an invalid row's reasons are its `issues`). */
  skipped: Skipped[];
  /** Columns no template input takes. */
  unused_columns: string[];
  /** Every column and the input it fills (`null`: none), as matched or mapped. */
  columns: Array<{ name: string; input: string | null }>;
}
/** A list's cells as the core reads them (`readCampaignList`, from `wasend/campaigns`). */
export type CampaignListCells = { columns: string[]; rows: Array<{ line?: number; cells: unknown[] }> } | { error: RowIssue };

export type FailureClass = 'transient' | 'wait' | 'needs_template' | 'recipient' | 'template' | 'unknown' | 'permanent';
export interface FailureRule {
  class: FailureClass;
  http: number[];
  /** Meta error codes, as inclusive ranges. */
  meta: Array<[number, number]>;
  /** The Worker's own error codes (and the client's `network`). */
  codes: string[];
  /** Never again; with the caller's backoff; or after `after_ms`, up to `attempts` in all. */
  retry: 'never' | 'backoff' | { after_ms: number; attempts: number };
  suppresses: boolean;
  pauses: boolean;
  /** Nothing was sent: a campaign's row is skipped, not failed. */
  skips: boolean;
  /** How the Worker answers an upstream error on this line that carries a Meta code. */
  answer: { status: number; code: string } | null;
  what: string;
}

// ---------------------------------------------------------------- client

export interface ClientOptions {
  /** The wasend Worker's origin, e.g. `https://wasend.example.workers.dev`. */
  baseUrl: string;
  /** One of the Worker's CLIENT_TOKENS (never the provider's API key). */
  token: string;
  /** A fetch to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /** Attempts after the first (default 4). */
  retries?: number;
  /** Backoff base and cap, in milliseconds (defaults 250 and 8000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `Retry-After` longer than this (default 60000 ms) is not waited for. */
  maxRetryAfterMs?: number;
}
export interface SendOptions extends Options {
  /** Reuse the key to retry a send safely; one is generated when absent. */
  idempotencyKey?: string;
}
/** The provider's success body. */
export interface SendResult { data: { message_id: string; status: string } }
/** A rejected call. `kind`: `invalid` (not sent), `http` (the Worker said no), `network` (no
 * answer), and from `waitFor`: `failed` (the message failed), `timeout`. */
export interface SendError extends Error {
  name: 'SendError';
  kind: 'invalid' | 'http' | 'network' | 'failed' | 'timeout';
  status?: number;
  body?: unknown;
  errors?: Issue[];
  retryAfter?: number;
  attempts?: number;
  idempotencyKey?: string;
}
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';
/** A message in the Worker's log. */
export interface MessageStatus {
  id: string;
  status: DeliveryStatus;
  /** The reason of a `failed` event (kept even when another device read the message). */
  failure: string | null;
  type: Payload['type'] | null;
  recipient: string | null;
  account: string | null;
  idempotency_key: string | null;
  created: number;
  updated: number;
  history: Array<{ event: DeliveryStatus; at: number; reason: string | null }>;
}
export type CampaignStatus = 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
/** What a client may ask of a campaign; a campaign's `actions` lists those it allows now. */
export type CampaignAction = 'pause' | 'resume' | 'cancel';
export interface Campaign {
  id: string;
  client: string;
  name: string;
  status: CampaignStatus;
  /** What may be done now, as the core's campaign machine allows (empty once final). */
  actions: CampaignAction[];
  template: { name: string; language: string };
  total: number;
  valid: number;
  /** Every row in one bucket. */
  counts: { queued: number; sent: number; delivered: number; read: number; failed: number; skipped: number };
  paused_reason?: string;
  created: number;
  start_at: number;
  /** When it finished: set once nothing about it changes again (final, every row settled). */
  finished?: number;
}
export interface NewCampaign {
  name?: string;
  template: { name: string; language: string };
  rows?: Array<Record<string, unknown>>;
  csv?: string;
  mapping?: Record<string, string>;
  startAt?: string | Date;
  defaultRegion?: string;
}
export interface CreatedCampaign {
  id: string;
  status: CampaignStatus;
  total: number;
  valid: number;
  /** Every row not sent and why: an invalid row's issues, and each skipped row. */
  skipped: Array<RowIssue | Skipped>;
  campaign: Campaign;
}
export interface CampaignRecipient {
  row: number;
  line?: number;
  to: string | null;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped';
  reason?: 'invalid' | 'duplicate' | 'opted_out' | 'cancelled';
  message_id?: string;
  error?: { code: string; class: FailureClass | 'invalid' | 'duplicate'; message: string };
  attempts: number;
}
export interface Page<T> { data: T[]; next_cursor: string | null }
/** `added_by`: `client:<name>`, `message:<id>`, `send:<client>` or `sandbox:<client>` (null for older entries). */
export interface Suppression { number: string; identity: string; reason: string | null; source: 'api' | 'inbound' | 'failure'; added_by: string | null; created: number }
export interface Campaigns {
  create(campaign: NewCampaign, options?: { idempotencyKey?: string }): Promise<CreatedCampaign>;
  get(id: string): Promise<Campaign>;
  list(options?: { limit?: number; cursor?: string }): Promise<Page<Campaign>>;
  pause(id: string): Promise<Campaign>;
  resume(id: string): Promise<Campaign>;
  cancel(id: string): Promise<Campaign>;
  recipients(id: string, options?: { limit?: number; cursor?: string; status?: Exclude<CampaignRecipient['status'], 'sending'> }): Promise<Page<CampaignRecipient>>;
  recipients(id: string, options: { csv: true }): Promise<string>;
  progress(id: string, options?: { intervalMs?: number }): AsyncGenerator<Campaign, void, unknown>;
}
export interface Suppressions {
  list(): Promise<Suppression[]>;
  add(number: string, reason?: string): Promise<{ number: string; added: boolean }>;
  /** Lifts an opt-out: an operator's token lifts any, a client token only its own API entry (403 otherwise). */
  remove(number: string): Promise<{ number: string; removed: true }>;
}
export interface Client {
  readonly baseUrl: string;
  readonly campaigns: Campaigns;
  readonly suppressions: Suppressions;
  send(payload: Payload | Record<string, unknown>, options?: SendOptions): Promise<SendResult>;
  status(messageId: string): Promise<MessageStatus>;
  waitFor(messageId: string, target?: DeliveryStatus, options?: { timeoutMs?: number; intervalMs?: number }): Promise<MessageStatus>;
}
export function createClient(options: ClientOptions): Client;
export function isSendError(e: unknown): e is SendError;

// ---------------------------------------------------------------- builders

interface Extra { whatsappAccount?: string; replyTo?: string; callbackData?: string }
export const media: {
  url(url: string, more?: Omit<Media, 'url' | 'id'>): Media;
  id(id: string, more?: Omit<Media, 'url' | 'id'>): Media;
};
export const message: {
  text(to: string, text: string, extra?: Extra): Payload;
  image(to: string, media: Media, extra?: Extra): Payload;
  video(to: string, media: Media, extra?: Extra): Payload;
  document(to: string, media: Media, extra?: Extra): Payload;
  audio(to: string, media: Media, extra?: Extra): Payload;
  sticker(to: string, media: Media, extra?: Extra): Payload;
  location(to: string, location: Location, extra?: Extra): Payload;
  contacts(to: string, contacts: Contact[], extra?: Extra): Payload;
  reaction(to: string, messageId: string, emoji: string, extra?: Extra): Payload;
  buttons(to: string, m: { body: string; buttons: Array<{ id: string; title: string }>; header?: string | Header; footer?: string }, extra?: Extra): Payload;
  list(to: string, m: { body: string; button: string; sections: Array<{ title?: string; rows: Array<{ id: string; title: string; description?: string }> }>; header?: string | Header; footer?: string }, extra?: Extra): Payload;
  ctaUrl(to: string, m: { body: string; displayText: string; url: string; header?: string | Header; footer?: string }, extra?: Extra): Payload;
  locationRequest(to: string, m: { body: string }, extra?: Extra): Payload;
  template(to: string, m: { name: string; language: string; header?: Parameter; body?: Parameter[]; buttons?: Array<{ subType: NonNullable<Component['sub_type']>; index: number; parameter: Parameter }> }, extra?: Extra): Payload;
};
export const param: {
  text(text: string, name?: string): Parameter;
  currency(fallbackValue: string, code: string, amount1000: number): Parameter;
  dateTime(fallbackValue: string): Parameter;
  image(media: Media): Parameter;
  video(media: Media): Parameter;
  document(media: Media): Parameter;
  payload(payload: string): Parameter;
  couponCode(code: string): Parameter;
};
