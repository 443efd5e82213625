//! The compiled metadata blob (written by `build.rs`), decoded on first use.

use super::pattern::{self, Program};
use std::sync::OnceLock;

mod data {
    include!(concat!(env!("OUT_DIR"), "/phone_data.rs"));
}

pub(super) use data::{METADATA_SOURCE, METADATA_VERSION};

/// One numbering plan: a region (`"GB"`) or a non-geographic calling code (`"001"`).
#[derive(Debug)]
pub(super) struct Plan {
    pub index: usize,
    pub id: &'static str,
    pub calling_code: String,
    /// Bit `n` set when `n` digits is a possible national number length.
    pub lengths: u32,
    pub pattern: &'static str,
    /// Per metadata type: absent, or its pattern (`""`: mobile is the fixed-line pattern).
    pub types: [Option<&'static str>; 10],
    /// Per type, its own possible lengths; 0 means the plan's.
    pub type_lengths: [u32; 10],
    pub idd: Option<&'static str>,
    pub national_prefix_parser: Option<&'static str>,
    pub transform: Option<&'static str>,
    pub leading_digits: Option<&'static str>,
}

/// A plan's patterns, parsed.
#[derive(Debug)]
pub(super) struct Compiled {
    pub general: Program,
    pub types: [Option<Program>; 10],
    pub idd: Option<Program>,
    pub national_prefix_parser: Option<Program>,
    pub leading_digits: Option<Program>,
}

#[derive(Debug, Default)]
pub(super) struct Table {
    pub plans: Vec<Plan>,
    pub regions: usize,
    /// Calling code → plan indices (main region first), sorted by code.
    pub codes: Vec<(u32, Vec<u16>)>,
    /// Calling codes have at most three digits: a direct index into `codes`.
    by_code: Vec<u16>,
    compiled: Vec<OnceLock<Compiled>>,
}

struct Cursor {
    at: usize,
}

impl Cursor {
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *data::BLOB.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn small(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn bytes(&mut self, n: usize) -> Option<&'static [u8]> {
        let s = data::BLOB.get(self.at..self.at + n)?;
        self.at += n;
        Some(s)
    }
}

fn decode() -> Option<Table> {
    let mut c = Cursor { at: 0 };
    let plan_count = c.small()?;
    let regions = c.small()?;
    let pool_len = c.small()?;
    let mut pool: Vec<&'static str> = Vec::with_capacity(pool_len);
    for _ in 0..pool_len {
        let n = data::BLOB.get(c.at..)?.iter().position(|&b| b == b'\n')?;
        pool.push(std::str::from_utf8(c.bytes(n)?).ok()?);
        c.at += 1;
    }
    let mut next_new = 0usize;
    let mut string = |c: &mut Cursor| -> Option<Option<&'static str>> {
        match c.small()? {
            0 => Some(None),
            1 => {
                next_new += 1;
                pool.get(next_new - 1).copied().map(Some)
            }
            i => pool.get(i - 2).copied().map(Some),
        }
    };
    let mut plans = Vec::with_capacity(plan_count);
    for index in 0..plan_count {
        let id = std::str::from_utf8(c.bytes(2)?).ok()?;
        let id = if id == "00" { "001" } else { id };
        let calling_code = c.varint()?.to_string();
        let lengths = u32::try_from(c.varint()?).ok()?;
        let own = c.varint()?;
        let mut type_lengths = [0u32; 10];
        for (t, l) in type_lengths.iter_mut().enumerate() {
            if own & (1 << t) != 0 {
                *l = u32::try_from(c.varint()?).ok()?;
            }
        }
        let pattern = string(&mut c)?.unwrap_or("");
        let mut types = [None; 10];
        for t in &mut types {
            *t = string(&mut c)?;
        }
        plans.push(Plan {
            index,
            id,
            calling_code,
            lengths,
            pattern,
            types,
            type_lengths,
            idd: string(&mut c)?,
            national_prefix_parser: string(&mut c)?,
            transform: string(&mut c)?,
            leading_digits: string(&mut c)?,
        });
    }
    let code_count = c.small()?;
    let mut codes = Vec::with_capacity(code_count);
    for _ in 0..code_count {
        let cc = u32::try_from(c.varint()?).ok()?;
        let n = c.small()?;
        let list = (0..n)
            .map(|_| c.small().and_then(|i| u16::try_from(i).ok()))
            .collect::<Option<Vec<u16>>>()?;
        codes.push((cc, list));
    }
    let compiled = (0..plans.len()).map(|_| OnceLock::new()).collect();
    let mut by_code = vec![u16::MAX; 1000];
    for (i, (cc, _)) in codes.iter().enumerate() {
        *by_code.get_mut(usize::try_from(*cc).ok()?)? = u16::try_from(i).ok()?;
    }
    Some(Table {
        plans,
        regions,
        codes,
        by_code,
        compiled,
    })
}

/// The decoded metadata. A blob that does not decode (a build bug, caught by
/// `tests`) leaves an empty table: every number is then an unknown country.
pub(super) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| decode().unwrap_or_default())
}

fn compile(src: &str) -> Program {
    // build.rs has parsed every pattern of the blob with this parser, so this cannot fail.
    pattern::compile(src).unwrap_or_else(|_| Program::never())
}

impl Plan {
    pub fn compiled(&self) -> &Compiled {
        table().compiled[self.index].get_or_init(|| Compiled {
            general: compile(self.pattern),
            types: self.types.map(|t| t.filter(|p| !p.is_empty()).map(compile)),
            idd: self.idd.map(compile),
            national_prefix_parser: self.national_prefix_parser.map(compile),
            leading_digits: self.leading_digits.map(compile),
        })
    }
}

impl Table {
    pub fn region(&self, id: &str) -> Option<&Plan> {
        let regions = &self.plans[..self.regions];
        regions
            .binary_search_by(|p| p.id.cmp(id))
            .ok()
            .map(|i| &regions[i])
    }

    pub fn calling_code(&self, cc: &str) -> Option<&[u16]> {
        if cc.is_empty() || cc.len() > 3 || cc.starts_with('0') {
            return None;
        }
        let n = cc.bytes().try_fold(0usize, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
        })?;
        let i = *self.by_code.get(n)?;
        self.codes.get(usize::from(i)).map(|(_, list)| &list[..])
    }
}

#[cfg(test)]
mod tests {
    use super::super::pattern::{compile, reference};

    /// The matcher's masks only skip branches that cannot match: on every pattern
    /// of the metadata it answers as trying every branch does, on strings each
    /// pattern matches and on their near misses.
    #[test]
    fn masked_matching_answers_as_trying_every_branch() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let (mut programs, mut inputs, mut matched) = (0, 0, 0);
        for plan in &super::table().plans {
            let patterns = [plan.pattern]
                .into_iter()
                .chain(plan.types.iter().flatten().copied())
                .chain(
                    [plan.idd, plan.national_prefix_parser, plan.leading_digits]
                        .into_iter()
                        .flatten(),
                )
                .filter(|p| !p.is_empty());
            for pattern in patterns {
                let p = compile(pattern).expect("pattern");
                programs += 1;
                for _ in 0..24 {
                    let s = reference::sample(&p, &mut seed);
                    let mut tries = vec![
                        s.clone(),
                        [&s[..], b"5"].concat(),
                        s[..s.len().saturating_sub(1)].to_vec(),
                    ];
                    for i in [0, s.len() / 2, s.len().saturating_sub(1)] {
                        if let Some(&d) = s.get(i) {
                            let mut t = s.clone();
                            t[i] = b'0' + (d - b'0' + 1 + (seed % 9) as u8) % 10;
                            tries.push(t);
                        }
                    }
                    for t in tries {
                        inputs += 1;
                        let whole = reference::matches_entirely(&p, &t);
                        matched += usize::from(whole);
                        assert_eq!(
                            p.matches_entirely(&t),
                            whole,
                            "{pattern} on {:?}",
                            String::from_utf8_lossy(&t)
                        );
                        assert_eq!(
                            p.match_prefix(&t),
                            reference::match_prefix(&p, &t),
                            "{pattern} on {:?}",
                            String::from_utf8_lossy(&t)
                        );
                    }
                }
            }
        }
        assert!(
            programs > 1_500 && matched > inputs / 10,
            "{programs} programs, {matched} of {inputs} matched"
        );
    }

    #[test]
    fn the_blob_decodes_completely() {
        let t = super::decode().expect("blob decodes");
        assert!(t.regions >= 240 && t.plans.len() > t.regions);
        assert!(t.region("IN").is_some_and(|p| p.calling_code == "91"));
        assert!(t.calling_code("1").is_some_and(|l| l.len() > 20));
        assert!(t.calling_code("800").is_some());
        assert!(t.calling_code("999").is_none());
    }
}
