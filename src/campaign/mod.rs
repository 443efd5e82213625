//! A campaign's list, prepared: a template to many recipients, each row of a CSV
//! (RFC 4180, `,` `;` or tab, with or without a BOM) or of JSON/NDJSON turned
//! into a payload by [`crate::template::fill_template`] and validated, every
//! problem located by row and column, duplicate recipients (WhatsApp-id variants
//! included) and opted-out ones skipped with the reason. The CLI's `campaign
//! check`, the Worker and (next) the npm package run this same code.

mod count;
mod state;

pub use count::{count_rows, RowCounter};
pub use state::{Action, CampaignStatus, Change};

use crate::issue::{Code, Issue, Unit};
use crate::json::{Map, Number, Value};
use crate::phone;
use crate::template::{FieldIssue, Filler, TemplateDefinition, TO};
use crate::validate::{Options, OptionsError};

/// The most rows one list may have, as [`count_rows`] counts them.
pub const MAX_ROWS: usize = 100_000;

/// Column names read as the recipient, in this order.
pub const RECIPIENT_COLUMNS: [&str; 2] = ["to", "phone"];

/// How a list is read: the template, the region for national numbers, an explicit
/// column → input mapping, and the recipients who opted out.
#[derive(Clone, Debug, Default)]
pub struct ListOptions {
    /// Validation options (the default region; the template is the definition below).
    pub options: Options,
    /// `column name → input key` (`"first name" → "first_name"`, `"mobile" → "to"`);
    /// columns not named here are matched by name.
    pub mapping: Vec<(String, String)>,
    /// Identities (`phone::identity`) that opted out.
    pub suppressed: Vec<String>,
}

impl ListOptions {
    /// `{defaultRegion?, mapping?: {column: input}, suppressed?: [number]}`, as the
    /// npm package and the vectors write them; a bad one is an `OptionsError`.
    pub fn from_value(v: &Value) -> Result<ListOptions, OptionsError> {
        let obj = match v {
            Value::Null => return Ok(ListOptions::default()),
            Value::Object(m) => m,
            other => {
                return Err(OptionsError::new(format!(
                    "campaign options must be an object, not {}",
                    crate::json::kind(other)
                )))
            }
        };
        let mut rest = Map::new();
        let mut mapping = Vec::new();
        let mut numbers = Vec::new();
        for (k, v) in obj {
            match (k, v) {
                (_, Value::Null) => {}
                ("mapping", Value::Object(m)) => {
                    for (column, key) in m {
                        let key = key.as_str().ok_or_else(|| {
                            OptionsError::new(format!(
                                "option mapping.{column} must name a template input (a string)"
                            ))
                        })?;
                        mapping.push((column.to_owned(), key.to_owned()));
                    }
                }
                ("mapping", _) => {
                    return Err(OptionsError::new(
                        "option mapping must be an object of column name to template input",
                    ))
                }
                ("suppressed", Value::Array(a)) => {
                    for n in a {
                        numbers.push(n.as_str().map(str::to_owned).ok_or_else(|| {
                            OptionsError::new("option suppressed must be an array of phone numbers")
                        })?);
                    }
                }
                ("suppressed", _) => {
                    return Err(OptionsError::new(
                        "option suppressed must be an array of phone numbers",
                    ))
                }
                ("template", _) => {
                    return Err(OptionsError::new(
                        "option template: a campaign's template is its own argument, not an option",
                    ))
                }
                _ => {
                    rest.insert(k, v.clone());
                }
            }
        }
        let mut out = ListOptions {
            options: Options::from_value(&Value::Object(rest))?,
            mapping,
            suppressed: Vec::new(),
        };
        out.suppress(numbers.iter().map(String::as_str));
        Ok(out)
    }

    /// Adds numbers that opted out, as written (read in the default region); one
    /// that is no phone number suppresses nobody.
    pub fn suppress<'a>(&mut self, numbers: impl IntoIterator<Item = &'a str>) {
        for n in numbers {
            let e164 = phone::check(n, self.options.region()).e164;
            if let Some(id) = e164.as_deref().and_then(phone::identity) {
                self.suppressed.push(id);
            }
        }
    }
}

/// One problem of one row (or of the list, `row: None`).
#[derive(Clone, Debug, PartialEq)]
pub struct RowIssue {
    /// Data rows count from 1; the header is no row. `None`: the list itself.
    pub row: Option<usize>,
    /// The CSV file's line where the row starts (1-based), for CSV input.
    pub line: Option<usize>,
    /// The column the problem is in, by the list's own name for it.
    pub column: Option<String>,
    pub issue: Issue,
}

/// What became of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Valid: the normalized payload (JSON text) and its recipient's identity.
    Ready {
        payload: String,
        identity: String,
    },
    Invalid,
    /// The same recipient as an earlier row (its number).
    Duplicate {
        of: usize,
    },
    OptedOut,
}

/// A row that is valid but not sent, and why: the one shape of a skip, in the
/// CLI's report, the npm result, the Worker's answer and its row table. An
/// invalid row's reasons are its issues ([`RowIssue`]), not a skip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub row: usize,
    pub line: Option<usize>,
    /// `duplicate`, or `recipient_opted_out` (the code a single send to the
    /// number is refused with: one code for one fact).
    pub code: &'static str,
    pub message: String,
    /// A duplicate's earlier row.
    pub of: Option<usize>,
}

/// A skipped row's code when its recipient is the same as an earlier row's.
pub const DUPLICATE: &str = "duplicate";

impl Skipped {
    /// `{row, line?, code, message, of?}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("row", Value::Number(Number::from(self.row)));
        if let Some(l) = self.line {
            m.insert("line", Value::Number(Number::from(l)));
        }
        m.insert("code", Value::from(self.code));
        m.insert("message", Value::from(self.message.as_str()));
        if let Some(of) = self.of {
            m.insert("of", Value::Number(Number::from(of)));
        }
        Value::Object(m)
    }
}

impl Row {
    /// The row's skip, if it is valid but not sent.
    pub fn skipped(&self) -> Option<Skipped> {
        let (code, message, of) = match self.outcome {
            Outcome::Duplicate { of } => (
                DUPLICATE,
                format!("the same recipient as row {of}"),
                Some(of),
            ),
            Outcome::OptedOut => (
                crate::failures::OPTED_OUT,
                "the recipient opted out (the suppression list)".to_owned(),
                None,
            ),
            Outcome::Ready { .. } | Outcome::Invalid => return None,
        };
        Some(Skipped {
            row: self.row,
            line: self.line,
            code,
            message,
            of,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub row: usize,
    pub line: Option<usize>,
    /// The recipient: in E.164 when the row is valid, else as the list wrote it.
    pub recipient: Option<String>,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    pub valid: usize,
    pub invalid: usize,
    pub duplicate: usize,
    pub opted_out: usize,
}

/// A prepared list: every row's outcome, every problem, the counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub rows: Vec<Row>,
    pub issues: Vec<RowIssue>,
    pub summary: Summary,
    /// Columns no input takes (ignored).
    pub unused_columns: Vec<String>,
    /// Every column of the list, by its name, and the input it fills (`to`, `1`,
    /// `first_name`…), if any: what a page shows as the mapping.
    pub columns: Vec<(String, Option<String>)>,
}

impl Prepared {
    /// Did the list itself (not one row) fail: no recipient column, an input no
    /// column fills, text that is no CSV or JSON?
    pub fn list_failed(&self) -> bool {
        self.issues.iter().any(|i| i.row.is_none())
    }
}

/// The list's rows as cells by column name, with each row's first line.
struct Table {
    columns: Vec<String>,
    rows: Vec<(Option<usize>, Vec<Value>)>,
}

/// The list is over [`MAX_ROWS`]: nothing of it is read further.
pub fn too_many_rows(rows: usize) -> RowIssue {
    let mut issue = list_issue(
        Code::TooMany,
        format!("the list has {rows} rows; the most a campaign takes is {MAX_ROWS}"),
    );
    issue.issue = issue.issue.with_limit(MAX_ROWS, rows, Unit::Items);
    issue
}

fn list_issue(code: Code, message: impl Into<String>) -> RowIssue {
    RowIssue {
        row: None,
        line: None,
        column: None,
        issue: Issue::new(code, "", message),
    }
}

/// The delimiter of a CSV's header line: the most frequent of `,` `;` tab
/// outside quotes (`,` when none is there).
fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// The line of a quote that is never closed: the csv reader would take the rest
/// of the file into that one cell, swallowing every row after it.
fn unclosed_quote(text: &str) -> Option<usize> {
    let (mut quoted, mut line, mut opened) = (false, 1usize, 0usize);
    for b in text.bytes() {
        match b {
            b'"' => {
                quoted = !quoted;
                if quoted {
                    opened = line;
                }
            }
            b'\n' => line += 1,
            _ => {}
        }
    }
    quoted.then_some(opened)
}

// A list that cannot be read at all is answered once; its error's size costs nothing.
#[allow(clippy::result_large_err)]
fn read_csv(text: &str) -> Result<Table, RowIssue> {
    if let Some(line) = unclosed_quote(text) {
        let mut issue = list_issue(
            Code::InvalidFormat,
            format!("the list is not csv: the quote opened on line {line} is never closed"),
        );
        issue.line = Some(line);
        return Err(issue);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| {
            list_issue(
                Code::InvalidFormat,
                format!("the list's header is not csv: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let line = record.position().map(|p| p.line() as usize);
                let cells = record.iter().map(|c| Value::from(c.trim())).collect();
                rows.push((line, cells));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                let mut issue =
                    list_issue(Code::InvalidFormat, format!("the list is not csv: {e}"));
                issue.line = line;
                return Err(issue);
            }
        }
    }
    Ok(Table { columns, rows })
}

#[allow(clippy::result_large_err)]
fn read_json(text: &str) -> Result<Table, RowIssue> {
    let objects: Vec<Value> = if text.trim_start().starts_with('[') {
        match crate::json::parse(text.as_bytes()) {
            Ok(Value::Array(items)) => items,
            Ok(_) => {
                return Err(list_issue(
                    Code::InvalidJson,
                    "the list is a json value, not an array of rows",
                ))
            }
            Err(e) => {
                return Err(list_issue(
                    Code::InvalidJson,
                    format!("the list is not json: {e}"),
                ))
            }
        }
    } else {
        let mut out = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            out.push(crate::json::parse(line.as_bytes()).map_err(|e| {
                let mut issue = list_issue(
                    Code::InvalidJson,
                    format!("line {} is not json: {e}", i + 1),
                );
                issue.line = Some(i + 1);
                issue
            })?);
        }
        out
    };
    let mut columns: Vec<String> = Vec::new();
    for o in &objects {
        if let Value::Object(m) = o {
            for (k, _) in m {
                if !columns.iter().any(|c| c == k) {
                    columns.push(k.to_owned());
                }
            }
        }
    }
    let rows = objects
        .into_iter()
        .map(|o| {
            let cells = columns
                .iter()
                .map(|c| o.get(c).cloned().unwrap_or(Value::Null))
                .collect();
            (None, cells)
        })
        .collect();
    Ok(Table { columns, rows })
}

/// The list's rows, whichever its form: JSON (an array or NDJSON) when it starts
/// with `[` or `{`, CSV otherwise; a byte-order mark dropped.
#[allow(clippy::result_large_err)]
fn read_table(text: &str) -> Result<Table, RowIssue> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start();
    if start.starts_with('[') || start.starts_with('{') {
        read_json(text)
    } else {
        read_csv(text)
    }
}

/// A list's cells as read, for a page that shows them: `{columns, rows: [{line?,
/// cells}]}`, or `{error}` (the issue) when the text is no list.
pub fn read_list(text: &str) -> Value {
    match read_table(text) {
        Ok(t) => table_value(t),
        Err(issue) => error_value(&issue),
    }
}

fn table_value(t: Table) -> Value {
    let mut m = Map::new();
    m.insert(
        "columns",
        Value::Array(t.columns.iter().map(|c| Value::from(c.as_str())).collect()),
    );
    let rows = t.rows.into_iter().map(|(line, cells)| {
        let mut r = Map::new();
        if let Some(l) = line {
            r.insert("line", Value::Number(Number::from(l)));
        }
        r.insert("cells", Value::Array(cells));
        Value::Object(r)
    });
    m.insert("rows", Value::Array(rows.collect()));
    Value::Object(m)
}

fn error_value(issue: &RowIssue) -> Value {
    let mut m = Map::new();
    m.insert("error", issue.to_value());
    Value::Object(m)
}

/// Prepares a list for `definition`: `text` is CSV, a JSON array of row objects,
/// or NDJSON (one row object a line).
pub fn prepare(text: &str, definition: &TemplateDefinition, list: &ListOptions) -> Prepared {
    prepare_with(text, definition, list, drop).0
}

/// [`prepare`] and [`read_list`] from one reading of the text: the verdicts, and
/// the cells a page shows beside them.
pub fn prepare_shown(
    text: &str,
    definition: &TemplateDefinition,
    list: &ListOptions,
) -> (Prepared, Value) {
    let (prepared, shown) = prepare_with(text, definition, list, table_value);
    let shown = shown.unwrap_or_else(|| match prepared.issues.first() {
        Some(issue) => error_value(issue),
        None => Value::Null,
    });
    (prepared, shown)
}

/// Prepares the list and, when it reads as a table, hands the table on to `also`.
fn prepare_with<T>(
    text: &str,
    definition: &TemplateDefinition,
    list: &ListOptions,
    also: impl FnOnce(Table) -> T,
) -> (Prepared, Option<T>) {
    let counted = count_rows(text);
    let issue = if counted > MAX_ROWS {
        too_many_rows(counted)
    } else {
        // The count is the limit's measure; the table backs it for lists it misreads
        // (a stray quote hides rows from the count, never from the reader).
        match read_table(text) {
            Ok(mut t) if t.rows.len() <= MAX_ROWS => {
                let prepared = prepare_table(&mut t, definition, list);
                return (prepared, Some(also(t)));
            }
            Ok(t) => too_many_rows(t.rows.len()),
            Err(issue) => issue,
        }
    };
    let prepared = Prepared {
        rows: Vec::new(),
        issues: vec![issue],
        summary: Summary::default(),
        unused_columns: Vec::new(),
        columns: Vec::new(),
    };
    (prepared, None)
}

fn prepare_table(
    table: &mut Table,
    definition: &TemplateDefinition,
    list: &ListOptions,
) -> Prepared {
    let filler = Filler::new(definition, &list.options);
    let keys: Vec<&str> = filler.keys().collect();
    // Which input each column fills: the mapping first, then the column's own name.
    let key_of = |column: &str| -> Option<String> {
        if let Some((_, k)) = list.mapping.iter().find(|(c, _)| c == column) {
            return Some(k.clone());
        }
        let lower = column.to_ascii_lowercase();
        if RECIPIENT_COLUMNS.contains(&lower.as_str()) {
            return Some(TO.to_owned());
        }
        keys.iter()
            .find(|k| **k == column || k.eq_ignore_ascii_case(column))
            .map(|k| (*k).to_owned())
    };
    let mut column_keys: Vec<Option<String>> = table.columns.iter().map(|c| key_of(c)).collect();
    // Two columns for one input: the first wins (the mapping's, when it named one).
    for i in 0..column_keys.len() {
        if let Some(k) = column_keys[i].clone() {
            if column_keys[..i]
                .iter()
                .any(|x| x.as_deref() == Some(k.as_str()))
            {
                column_keys[i] = None;
            }
        }
    }
    let column_for = |key: &str| -> Option<&str> {
        column_keys
            .iter()
            .position(|k| k.as_deref() == Some(key))
            .map(|i| table.columns[i].as_str())
    };
    let mut issues = Vec::new();
    if column_for(TO).is_none() {
        issues.push(list_issue(
            Code::Required,
            format!(
                "the list has no recipient column; name one `to` or `phone` (columns: {})",
                table.columns.join(", ")
            ),
        ));
    }
    for f in filler.required() {
        if column_for(&f.key).is_none() {
            let mut issue = list_issue(
                Code::Required,
                format!(
                    "the list has no column for input `{}` ({}) of template \"{}\"",
                    f.key, f.label, definition.name
                ),
            );
            issue.column = Some(f.key.clone());
            issues.push(issue);
        }
    }
    let unused_columns: Vec<String> = table
        .columns
        .iter()
        .zip(&column_keys)
        .filter(|(_, k)| k.is_none())
        .map(|(c, _)| c.clone())
        .collect();
    let columns: Vec<(String, Option<String>)> = table
        .columns
        .iter()
        .cloned()
        .zip(column_keys.iter().cloned())
        .collect();
    if !issues.is_empty() {
        return Prepared {
            rows: Vec::new(),
            issues,
            summary: Summary {
                total: table.rows.len(),
                ..Summary::default()
            },
            unused_columns,
            columns,
        };
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut summary = Summary {
        total: table.rows.len(),
        ..Summary::default()
    };
    // Identities seen, sorted for lookup (an ordered map: a list's numbers are the
    // uploader's choice, and no hash collides them), with the row that had each first.
    let mut seen: std::collections::BTreeMap<SeenKey, usize> = std::collections::BTreeMap::new();
    let mut suppressed: Vec<&str> = list.suppressed.iter().map(String::as_str).collect();
    suppressed.sort_unstable();
    // One map for every row, its keys written once: an empty cell is null there,
    // which the filler reads as no value. A row's cells are moved in and back out
    // to the table (which a page may show), never copied.
    let mut values = Map::new();
    for (i, (line, cells)) in table.rows.iter_mut().enumerate() {
        let row = i + 1;
        for (cell, key) in cells.iter_mut().zip(&column_keys) {
            let Some(key) = key else { continue };
            let empty = matches!(cell, Value::Null) || cell.as_str().is_some_and(str::is_empty);
            values.insert(
                key.as_str(),
                if empty {
                    Value::Null
                } else {
                    std::mem::take(cell)
                },
            );
        }
        let filled = filler.fill_to_send(&values);
        let recipient;
        let outcome = match filled.text {
            Some(payload) if filled.valid => {
                let to = filled.to.unwrap_or_default();
                let identity = phone::identity_of_checked(&to);
                recipient = Some(to);
                let key = SeenKey::of(&identity);
                if let Some(&of) = seen.get(&key) {
                    summary.duplicate += 1;
                    Outcome::Duplicate { of }
                } else if suppressed.binary_search(&identity.as_str()).is_ok() {
                    seen.insert(key, row);
                    summary.opted_out += 1;
                    Outcome::OptedOut
                } else {
                    seen.insert(key, row);
                    summary.valid += 1;
                    Outcome::Ready { payload, identity }
                }
            }
            _ => {
                summary.invalid += 1;
                recipient = values
                    .get(TO)
                    .filter(|v| !v.is_null())
                    .map(|v| v.as_str().map_or_else(|| v.to_json(), str::to_owned));
                for FieldIssue { field, issue } in filled.errors {
                    let column = field
                        .as_deref()
                        .and_then(column_for)
                        .map(str::to_owned)
                        .or(field);
                    issues.push(RowIssue {
                        row: Some(row),
                        line: *line,
                        column,
                        issue,
                    });
                }
                Outcome::Invalid
            }
        };
        for (cell, key) in cells.iter_mut().zip(&column_keys) {
            if let Some(value) = key.as_deref().and_then(|k| values.get_mut(k)) {
                if !value.is_null() {
                    *cell = std::mem::take(value);
                }
            }
        }
        rows.push(Row {
            row,
            line: *line,
            recipient,
            outcome,
        });
    }
    Prepared {
        rows,
        issues,
        summary,
        unused_columns,
        columns,
    }
}

/// An identity as the deduplication compares it: an E.164 number as its digits'
/// count and value (two integers, where comparing text was a tenth of the map's
/// time in wasm), anything else as its text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SeenKey {
    Digits(usize, u64),
    Text(String),
}

impl SeenKey {
    fn of(identity: &str) -> SeenKey {
        let digits = identity.strip_prefix('+').unwrap_or(identity);
        match crate::numbers::digits_u64(digits) {
            // At most 19 digits always fit; the count keeps `+0…` apart from `+…`.
            Some(n) if digits.len() <= 19 && identity.starts_with('+') => {
                SeenKey::Digits(digits.len(), n)
            }
            _ => SeenKey::Text(identity.to_owned()),
        }
    }
}

/// One CSV record (RFC 4180 quoting), with its line ending: for results files,
/// which people open in spreadsheets. Each cell passes [`spreadsheet_safe`].
pub fn csv_record<S: AsRef<str>>(fields: &[S]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; an error would leave the record empty.
    let cells: Vec<_> = fields
        .iter()
        .map(|f| spreadsheet_safe(f.as_ref()))
        .collect();
    let _ = w.write_record(cells.iter().map(|c| c.as_bytes()));
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The characters a spreadsheet reads at a cell's start as the start of a
/// formula (OWASP, "CSV injection"): `=`, `+`, `-`, `@`, tab, carriage return.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as a spreadsheet may show it without evaluating anything: one that
/// starts with a [`FORMULA_STARTS`] character gets a leading `'`, except a phone
/// number the core reads as valid E.164 exactly as written (`+` and digits), which
/// stays as it is so that the file round-trips into a list.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if !cell.starts_with(FORMULA_STARTS) || is_valid_e164(cell) {
        return std::borrow::Cow::Borrowed(cell);
    }
    std::borrow::Cow::Owned(format!("'{cell}"))
}

fn is_valid_e164(cell: &str) -> bool {
    cell.len() > 1
        && cell.starts_with('+')
        && cell[1..].bytes().all(|b| b.is_ascii_digit())
        && phone::check(cell, None).e164.as_deref() == Some(cell)
}

impl RowIssue {
    /// `{row?, line?, column?, code, message, limit?, actual?, unit?}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(r) = self.row {
            m.insert("row", Value::Number(Number::from(r)));
        }
        if let Some(l) = self.line {
            m.insert("line", Value::Number(Number::from(l)));
        }
        if let Some(c) = &self.column {
            m.insert("column", Value::from(c.as_str()));
        }
        m.insert("code", Value::from(self.issue.code.as_str()));
        m.insert("message", Value::from(self.issue.message.as_str()));
        if let Some(l) = &self.issue.limit {
            m.insert("limit", Value::Number(l.clone()));
        }
        if let Some(a) = &self.issue.actual {
            m.insert("actual", Value::Number(a.clone()));
        }
        if let Some(u) = self.issue.unit {
            m.insert("unit", Value::from(u.as_str()));
        }
        if let Some(s) = &self.issue.suggestion {
            m.insert("suggestion", Value::from(s.as_str()));
        }
        Value::Object(m)
    }
}

impl Prepared {
    /// The rows that are valid but not sent (duplicates, opt-outs), in row order.
    pub fn skipped(&self) -> Vec<Skipped> {
        self.rows.iter().filter_map(Row::skipped).collect()
    }

    /// Everything, as JSON text: the report's `summary`, `issues`, `skipped` and
    /// `unused_columns`, and `rows`: `[{row, line?, to?,
    /// status: "ready" | "invalid" | "duplicate" | "opted_out", payload?, of?}]`.
    /// Each payload is written as it was normalized, not parsed again.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, None);
        out
    }

    /// [`to_json`](Self::to_json)'s text without the ready rows' `payload`s, and
    /// each of those payloads' text after a newline, in row order: how the npm
    /// module hands a list to JavaScript, which parses a payload only when it is
    /// read (a payload's JSON text holds no raw newline). Parsing every payload
    /// was most of the time JavaScript spent on a list's answer (BENCHMARKS.md).
    /// The first text has room for the second after it.
    pub fn to_json_payloads_apart(&self) -> (String, String) {
        let (mut out, mut payloads) = (String::new(), String::new());
        self.write_json(&mut out, Some(&mut payloads));
        (out, payloads)
    }

    /// What a row adds to `to_json` besides its recipient and payload: `{"row":…,
    /// "line":…,"to":"","status":"opted_out","payload":,"of":…}` and a comma, with
    /// numbers of up to seven digits (a list holds at most `MAX_ROWS`).
    const ROW_JSON: usize = 96;
    /// `to_json` into `out`; with `apart`, each ready row's payload goes there
    /// instead, after a newline.
    fn write_json(&self, out: &mut String, mut apart: Option<&mut String>) {
        let report = self.report();
        let [summary, issues, skipped, unused] =
            ["summary", "issues", "skipped", "unused_columns"].map(|part| report[part].to_json());
        // Reserved up front, so that tens of megabytes are not grown by doubling:
        // a module's memory never shrinks.
        let (mut rows_bytes, mut payload_bytes) = (0, 0);
        for r in &self.rows {
            rows_bytes += Self::ROW_JSON + r.recipient.as_ref().map_or(0, String::len);
            if let Outcome::Ready { payload, .. } = &r.outcome {
                payload_bytes += payload.len() + 1;
            }
        }
        let columns_bytes: usize = self
            .columns
            .iter()
            .map(|(c, i)| 32 + c.len() + i.as_ref().map_or(4, String::len))
            .sum();
        let rest = 64 + summary.len() + issues.len() + skipped.len() + unused.len() + columns_bytes;
        out.reserve(rows_bytes + payload_bytes + rest);
        if let Some(texts) = apart.as_deref_mut() {
            texts.reserve(payload_bytes);
        }
        // Row numbers are most of the numbers written: `fmt` was 4% of a list.
        let mut digits = itoa::Buffer::new();
        out.push_str("{\"summary\":");
        out.push_str(&summary);
        out.push_str(",\"rows\":[");
        for (i, r) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"row\":");
            out.push_str(digits.format(r.row));
            if let Some(l) = r.line {
                out.push_str(",\"line\":");
                out.push_str(digits.format(l));
            }
            if let Some(to) = &r.recipient {
                out.push_str(",\"to\":");
                crate::json::write_string(out, to);
            }
            let status = match &r.outcome {
                Outcome::Ready { .. } => "ready",
                Outcome::Invalid => "invalid",
                Outcome::Duplicate { .. } => "duplicate",
                Outcome::OptedOut => "opted_out",
            };
            out.push_str(",\"status\":\"");
            out.push_str(status);
            out.push('"');
            match &r.outcome {
                Outcome::Ready { payload, .. } => match apart.as_deref_mut() {
                    Some(texts) => {
                        texts.push('\n');
                        texts.push_str(payload);
                    }
                    None => {
                        out.push_str(",\"payload\":");
                        out.push_str(payload);
                    }
                },
                Outcome::Duplicate { of } => {
                    out.push_str(",\"of\":");
                    out.push_str(digits.format(*of));
                }
                Outcome::Invalid | Outcome::OptedOut => {}
            }
            out.push('}');
        }
        out.push_str("],\"issues\":");
        out.push_str(&issues);
        out.push_str(",\"skipped\":");
        out.push_str(&skipped);
        out.push_str(",\"unused_columns\":");
        out.push_str(&unused);
        out.push_str(",\"columns\":[");
        for (i, (name, input)) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            crate::json::write_string(out, name);
            out.push_str(",\"input\":");
            match input {
                Some(k) => crate::json::write_string(out, k),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("]}");
    }

    /// `{summary, issues, skipped: [Skipped], unused_columns}`: the report
    /// the CLI prints and the Worker answers (payloads stay out of it).
    pub fn report(&self) -> Value {
        let mut summary = Map::new();
        for (k, v) in [
            ("total", self.summary.total),
            ("valid", self.summary.valid),
            ("invalid", self.summary.invalid),
            ("duplicate", self.summary.duplicate),
            ("opted_out", self.summary.opted_out),
        ] {
            summary.insert(k, Value::Number(Number::from(v)));
        }
        let mut m = Map::new();
        m.insert("summary", Value::Object(summary));
        m.insert(
            "issues",
            Value::Array(self.issues.iter().map(RowIssue::to_value).collect()),
        );
        m.insert(
            "skipped",
            Value::Array(self.skipped().iter().map(Skipped::to_value).collect()),
        );
        m.insert(
            "unused_columns",
            Value::Array(
                self.unused_columns
                    .iter()
                    .map(|c| Value::from(c.as_str()))
                    .collect(),
            ),
        );
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::SeenKey;

    /// Two identities share a key exactly when they are the same text.
    #[test]
    fn seen_keys_are_the_identities() {
        let ids = [
            "+919810000001",
            "+919810000010",
            "+0919810000001",
            "+00919810000001",
            "919810000001",
            "+9",
            "+09",
            "+",
            "",
            "+12345678901234567890",
            "+1234567890123456789",
            "+1 2",
            "abc",
            "+18446744073709551615",
            "+18446744073709551616",
            "+99999999999999999999",
        ];
        for a in ids {
            for b in ids {
                assert_eq!(SeenKey::of(a) == SeenKey::of(b), a == b, "{a:?} {b:?}");
            }
        }
        assert!(matches!(
            SeenKey::of("+919810000001"),
            SeenKey::Digits(12, 919_810_000_001)
        ));
    }
}
