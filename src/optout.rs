//! Opt-outs: when a customer's message asks to stop. Compared without regard to
//! case, accents, whitespace and trailing punctuation (`Párar.` is `PARAR`), so
//! that a reply typed on any keyboard is honoured.

use unicode_normalization::UnicodeNormalization;

/// The stop keywords every account honours; `STOP_KEYWORDS` adds more.
pub const STOP_KEYWORDS: [&str; 5] = ["STOP", "UNSUBSCRIBE", "PARAR", "ALTO", "CANCELAR"];

/// `text` folded for comparison: letters and digits only, accents removed, upper case.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '.' | '!' | '¡' | '?' | '¿' | ',' | ';' | ':' | '"' | '\''
                )
        })
        .flat_map(char::to_uppercase)
        .collect()
}

/// Is the message `text` a stop keyword (the built-in ones, or one of `extra`)?
pub fn is_stop(text: &str, extra: &[String]) -> bool {
    if text.chars().count() > 64 {
        return false;
    }
    let folded = fold(text);
    !folded.is_empty()
        && (STOP_KEYWORDS.contains(&folded.as_str()) || extra.iter().any(|k| fold(k) == folded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_valid() {
        for t in [
            "STOP",
            "stop",
            " Stop ",
            "S T O P",
            "Párar",
            "PARAR.",
            "unsubscribe!",
            "Cancelar",
            "alto",
            "¡Alto!",
        ] {
            assert!(is_stop(t, &[]), "{t:?}");
        }
        assert!(is_stop("baja", &["BAJA".to_owned()]));
        assert!(is_stop("Désabonner", &["desabonner".to_owned()]));
    }

    #[test]
    fn stop_invalid() {
        for t in [
            "",
            "please stop sending these",
            "stopwatch",
            "STOP2",
            "non-stop",
            "hola",
            "???",
        ] {
            assert!(!is_stop(t, &[]), "{t:?}");
        }
    }
}
