//! A list's rows counted as its bytes arrive, so that one over [`MAX_ROWS`] is
//! refused before the rest of it is read (the Worker feeds it each chunk of a
//! request body), and counted the same way when the list is prepared, so that
//! every face draws the line at the same row.
//!
//! What is counted, per form (as `read_table` tells them apart):
//! - CSV: records after the header with something besides delimiters, spaces
//!   and quotes in them (a quote toggles quoting, as `unclosed_quote` reads it);
//! - NDJSON: lines that are not blank;
//! - a JSON array: its elements;
//! - a campaign request (`{"rows": [...]}` or `{"csv": "..."}`): the elements of
//!   `rows`, and the CSV rows of `csv` as the string's text.

use super::MAX_ROWS;

/// Counts rows of a list fed in pieces of any size.
#[derive(Clone, Debug, Default)]
pub struct RowCounter {
    form: Form,
    /// Bytes of a leading byte-order mark matched so far.
    bom: u8,
    csv: Csv,
    lines: Lines,
    json: Json,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Form {
    /// Nothing but whitespace (or a byte-order mark) yet.
    #[default]
    Unknown,
    Csv,
    Ndjson,
    Array,
    /// A campaign request object, `rows` and `csv` counted.
    Request,
}

impl RowCounter {
    /// A counter for a list: CSV, NDJSON or a JSON array, told apart by its first
    /// byte as the list reader does.
    pub fn list() -> Self {
        RowCounter::default()
    }

    /// A counter for a campaign request (`application/json`): the rows of its
    /// `rows` array or of its `csv` text.
    pub fn request() -> Self {
        RowCounter {
            form: Form::Request,
            ..RowCounter::default()
        }
    }

    /// Counts the rows in `bytes`, the next piece of the text.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.form == Form::Csv {
            self.csv.feed(bytes);
            return;
        }
        for (i, &b) in bytes.iter().enumerate() {
            self.byte(b);
            if self.form == Form::Csv {
                self.csv.feed(&bytes[i + 1..]);
                return;
            }
        }
    }

    /// The rows counted so far (a row still arriving included).
    pub fn rows(&self) -> usize {
        match self.form {
            Form::Unknown => 0,
            Form::Csv => self.csv.rows(),
            Form::Ndjson => self.lines.rows(),
            Form::Array | Form::Request => {
                self.json.rows + self.json.csv.as_ref().map_or(0, |c| c.rows())
            }
        }
    }

    /// Whether the list is already over [`MAX_ROWS`].
    pub fn over(&self) -> bool {
        self.rows() > MAX_ROWS
    }

    fn byte(&mut self, b: u8) {
        const BOM: [u8; 3] = [0xef, 0xbb, 0xbf];
        match self.form {
            Form::Unknown => {
                if usize::from(self.bom) < BOM.len() && b == BOM[usize::from(self.bom)] {
                    self.bom += 1;
                    return;
                }
                if b.is_ascii_whitespace() {
                    return;
                }
                self.form = match b {
                    b'[' => Form::Array,
                    b'{' => Form::Ndjson,
                    _ => Form::Csv,
                };
                self.byte(b);
            }
            Form::Csv => self.csv.byte(b),
            Form::Ndjson => self.lines.byte(b),
            Form::Array => self.json.byte(b, 1),
            Form::Request => self.json.byte(b, 2),
        }
    }
}

/// How many rows `text` (a list, as `prepare` takes it) has, by [`RowCounter`].
pub fn count_rows(text: &str) -> usize {
    let mut c = RowCounter::list();
    c.feed(text.as_bytes());
    c.rows()
}

#[derive(Clone, Debug, Default)]
struct Csv {
    quoted: bool,
    /// The record so far has a byte that is not a delimiter, a space or a quote.
    content: bool,
    header: bool,
    rows: usize,
}

impl Csv {
    /// `byte` for each of `bytes`, skipping what cannot change the count: once a
    /// record has content, only a quote (and, unquoted, a newline) matters, and a
    /// list is mostly such bytes.
    fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            if self.content {
                let rest = &bytes[i..];
                let next = if self.quoted {
                    memchr::memchr(b'"', rest)
                } else {
                    memchr::memchr2(b'"', b'\n', rest)
                };
                let Some(skip) = next else { return };
                i += skip;
            }
            self.byte(bytes[i]);
            i += 1;
        }
    }

    fn byte(&mut self, b: u8) {
        match b {
            b'"' => self.quoted = !self.quoted,
            b'\n' if !self.quoted => {
                if self.content {
                    if self.header {
                        self.rows += 1;
                    } else {
                        self.header = true;
                    }
                }
                self.content = false;
            }
            b',' | b';' | b'\t' | b' ' | b'\r' | b'\n' => {}
            _ => self.content = true,
        }
    }

    fn rows(&self) -> usize {
        self.rows + usize::from(self.content && self.header)
    }
}

#[derive(Clone, Debug, Default)]
struct Lines {
    content: bool,
    rows: usize,
}

impl Lines {
    fn byte(&mut self, b: u8) {
        if b == b'\n' {
            self.rows += usize::from(self.content);
            self.content = false;
        } else if !b.is_ascii_whitespace() {
            self.content = true;
        }
    }

    fn rows(&self) -> usize {
        self.rows + usize::from(self.content)
    }
}

/// A JSON tokenizer that counts the elements of arrays at one depth, and, in a
/// request, counts the `csv` member's text as a list.
#[derive(Clone, Debug, Default)]
struct Json {
    depth: usize,
    in_string: bool,
    escape: bool,
    /// Hex digits of a `\u` escape still to come, and the value so far.
    unicode: (u8, u32),
    /// An element may start (after `[` or `,` of a counted array).
    expecting: bool,
    /// The container at the counted depth is an array whose elements count.
    counting: bool,
    /// At depth 1 of a request: the next string is a member's name.
    key_next: bool,
    /// The member name being read, and the last one read (first bytes only).
    key: Vec<u8>,
    in_key: bool,
    /// The string being read is the `csv` member's value.
    in_csv: bool,
    rows: usize,
    /// The `csv` member's text, counted as a list of its own.
    csv: Option<Box<RowCounter>>,
}

impl Json {
    fn byte(&mut self, b: u8, at: usize) {
        if self.in_string {
            self.string_byte(b);
            return;
        }
        match b {
            b'"' => {
                self.value_start(at);
                self.in_string = true;
                if at == 2 && self.depth == 1 {
                    if self.key_next {
                        self.in_key = true;
                        self.key.clear();
                    } else {
                        self.in_csv = self.key == b"csv";
                    }
                }
            }
            b'[' | b'{' => {
                self.value_start(at);
                self.depth += 1;
                if self.depth == at {
                    self.counting = b == b'[' && (at == 1 || self.key == b"rows");
                    self.expecting = self.counting;
                }
                if at == 2 && self.depth == 1 {
                    self.key_next = true;
                }
            }
            b']' | b'}' => self.depth = self.depth.saturating_sub(1),
            b',' => {
                if self.depth == at && self.counting {
                    self.expecting = true;
                }
                if at == 2 && self.depth == 1 {
                    self.key_next = true;
                }
            }
            b':' => {}
            _ if b.is_ascii_whitespace() => {}
            _ => self.value_start(at),
        }
    }

    fn value_start(&mut self, at: usize) {
        if self.depth == at && self.counting && self.expecting {
            self.rows += 1;
            self.expecting = false;
        }
    }

    fn string_byte(&mut self, b: u8) {
        if self.unicode.0 > 0 {
            let digit = char::from(b).to_digit(16).unwrap_or(0);
            self.unicode = (self.unicode.0 - 1, self.unicode.1 * 16 + digit);
            if self.unicode.0 == 0 {
                // Only ASCII decides a row's bounds; anything else is content.
                let c = u8::try_from(self.unicode.1).ok().filter(u8::is_ascii);
                self.text(c.unwrap_or(b'x'));
            }
            return;
        }
        if self.escape {
            self.escape = false;
            match b {
                b'u' => self.unicode = (4, 0),
                b'n' => self.text(b'\n'),
                b'r' => self.text(b'\r'),
                b't' => self.text(b'\t'),
                other => self.text(other),
            }
            return;
        }
        match b {
            b'\\' => self.escape = true,
            b'"' => {
                self.in_string = false;
                if self.in_key {
                    self.in_key = false;
                    self.key_next = false;
                }
                self.in_csv = false;
            }
            _ => self.text(b),
        }
    }

    /// A byte of a string's text.
    fn text(&mut self, b: u8) {
        if self.in_key {
            if self.key.len() < 8 {
                self.key.push(b);
            }
        } else if self.in_csv {
            self.csv
                .get_or_insert_with(|| Box::new(RowCounter::list()))
                .byte(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Csv;

    /// The skipping feed counts as the byte-by-byte one does, on lists of the
    /// bytes that matter, fed whole and in pieces.
    #[test]
    fn csv_feed_counts_as_byte_by_byte() {
        const ALPHABET: &[u8] = b"a,;\t \r\n\"\"\n\n";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let list: Vec<u8> = (0..len)
                .map(|k| ALPHABET[((seed >> (k % 50)) as usize + k * 7) % ALPHABET.len()])
                .collect();
            let mut byte = Csv::default();
            for &b in &list {
                byte.byte(b);
            }
            let mut whole = Csv::default();
            whole.feed(&list);
            let mut pieces = Csv::default();
            let cut = (seed >> 20) as usize % (len + 1);
            pieces.feed(&list[..cut]);
            pieces.feed(&list[cut..]);
            for fed in [&whole, &pieces] {
                assert_eq!(
                    (fed.rows(), fed.quoted, fed.content, fed.header),
                    (byte.rows(), byte.quoted, byte.content, byte.header),
                    "{:?}",
                    String::from_utf8_lossy(&list)
                );
            }
        }
    }
}
