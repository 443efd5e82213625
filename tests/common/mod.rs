//! What the integration tests share.

use serde_json::Value;

/// The vector's list: `list`, or `list_repeat` written out.
pub fn list_text(case: &Value) -> String {
    if let Some(text) = case["list"].as_str() {
        return text.to_owned();
    }
    let r = &case["list_repeat"];
    let part = |k: &str| r[k].as_str().expect("list_repeat part");
    let times = usize::try_from(r["times"].as_u64().expect("times")).expect("times");
    format!(
        "{}{}{}",
        part("head"),
        part("row").repeat(times),
        part("tail")
    )
}
