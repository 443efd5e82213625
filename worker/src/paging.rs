//! Pages of a list, one way everywhere: the request's `?limit=&cursor=` read with
//! its bounds (the Worker), and keyset pages newest first by `(created, id)` with
//! the cursor `<created>.<id>` of the last item shown, stable under new items
//! (the `Gate`'s message log and campaign index).

use crate::codes::ErrorCode;
use crate::http::error;
use worker::{Response, Result, SqlStorageValue, Url};

/// How many items a page may have, and how many it has when the request does not say.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub default: u32,
    pub max: u32,
}

/// The newest-first lists' bounds.
pub const NEWEST_FIRST: Bounds = Bounds {
    default: 20,
    max: 100,
};

/// `?limit=&cursor=`: the limit within `bounds`, and the cursor as `cursor` reads
/// it; a 400 that says which is wrong otherwise.
pub fn query<C>(
    url: &Url,
    bounds: Bounds,
    cursor: impl Fn(&str) -> Option<C>,
) -> std::result::Result<(u32, Option<C>), Result<Response>> {
    let mut limit = bounds.default;
    let mut after = None;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "limit" => match wasend::numbers::digits_in(&v, 1, u64::from(bounds.max)) {
                Some(n) => limit = u32::try_from(n).unwrap_or(bounds.max),
                None => {
                    return Err(error(
                        400,
                        ErrorCode::InvalidLimit,
                        &format!("limit must be an integer from 1 to {}", bounds.max),
                        None,
                    ))
                }
            },
            "cursor" => match cursor(&v) {
                Some(c) => after = Some(c),
                None => {
                    return Err(error(
                        400,
                        ErrorCode::InvalidCursor,
                        "cursor must be the next_cursor of a previous page",
                        None,
                    ))
                }
            },
            _ => {}
        }
    }
    Ok((limit, after))
}

/// A keyset cursor: the `(created, id)` of the last item shown.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Keyset {
    pub created: i64,
    pub id: String,
}

impl Keyset {
    /// `<created>.<id>`; `None` for anything else.
    pub fn parse(cursor: &str) -> Option<Keyset> {
        let (t, id) = cursor.split_once('.')?;
        let created = i64::try_from(wasend::numbers::digits_u64(t)?).ok()?;
        (!id.is_empty()).then(|| Keyset {
            created,
            id: id.to_owned(),
        })
    }

    pub fn write(&self) -> String {
        format!("{}.{}", self.created, self.id)
    }
}

/// The query of a newest-first page: `select` (`SELECT … FROM … WHERE …`, its
/// table with `created` and `id` columns) with `args`, after `after`, `limit + 1`
/// items so that [`page`] knows whether there are more.
pub fn newest_first(
    select: &str,
    mut args: Vec<SqlStorageValue>,
    after: Option<&Keyset>,
    limit: u32,
) -> (String, Vec<SqlStorageValue>) {
    let mut sql = select.to_owned();
    if let Some(k) = after {
        sql.push_str(" AND (created < ? OR (created = ? AND id < ?))");
        args.extend([
            SqlStorageValue::from(k.created),
            SqlStorageValue::from(k.created),
            SqlStorageValue::from(k.id.as_str()),
        ]);
    }
    sql.push_str(" ORDER BY created DESC, id DESC LIMIT ?");
    args.push(SqlStorageValue::from(i64::from(limit) + 1));
    (sql, args)
}

/// A page from `limit + 1` items fetched in order: the first `limit`, and the
/// cursor of the last one when there were more.
pub fn page<T>(
    mut fetched: Vec<T>,
    limit: u32,
    key: impl Fn(&T) -> Keyset,
) -> (Vec<T>, Option<String>) {
    let limit = limit as usize;
    let more = fetched.len() > limit;
    fetched.truncate(limit);
    let next = fetched.last().filter(|_| more).map(|t| key(t).write());
    (fetched, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyset_cursors() {
        let k = Keyset::parse("1780000000000.wamid.1").expect("cursor");
        assert_eq!((k.created, k.id.as_str()), (1_780_000_000_000, "wamid.1"));
        assert_eq!(k.write(), "1780000000000.wamid.1");
        for bad in ["", "x.y", "1.", ".a", "-1.a", "12"] {
            assert_eq!(Keyset::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_page_and_its_next_cursor() {
        let key = |n: &i64| Keyset {
            created: *n,
            id: format!("m{n}"),
        };
        assert_eq!(
            page(vec![5, 4, 3], 2, key),
            (vec![5, 4], Some("4.m4".into()))
        );
        assert_eq!(page(vec![5, 4], 2, key), (vec![5, 4], None));
        assert_eq!(page(Vec::<i64>::new(), 2, key), (vec![], None));
    }
}
