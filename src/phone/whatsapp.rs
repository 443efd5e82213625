//! Where WhatsApp ids and the numbering plan disagree.
//!
//! WhatsApp keeps ids from before numbering changes: Mexican mobiles as `+52 1 …`
//! (the `1` was dropped from dialling in 2019), Brazilian mobiles registered
//! before the ninth digit as `+55 DD XXXX-XXXX`, and Argentine mobiles need the
//! `9` after `+54` that national dialling writes as `15`. `RULES.md` makes each
//! a `phone_whatsapp_id` warning naming the other form, keeping the number as given.

use super::{parse_digits, NumberType, PhoneIssue, PhoneNumber};
use crate::issue::Code;

fn valid(digits: &str) -> Option<PhoneNumber> {
    parse_digits(true, digits, None)
        .ok()
        .filter(PhoneNumber::is_valid)
}

fn is_mobile(n: &PhoneNumber) -> bool {
    matches!(
        n.number_type(),
        Some(NumberType::Mobile | NumberType::FixedLineOrMobile)
    )
}

/// For a number the plan rejects but WhatsApp knows as an id: the plan's form of
/// the same line.
pub(super) fn lenient(number: &PhoneNumber) -> Option<PhoneNumber> {
    let nat = number.national_number();
    // An area code never starts with a trunk `0`: `+55 0067…` is no WhatsApp id.
    if nat.starts_with('0') {
        return None;
    }
    let other = match number.calling_code() {
        "52" if nat.len() == 11 && nat.starts_with('1') => valid(&format!("52{}", &nat[1..])),
        "55" if nat.len() == 10 && matches!(nat.as_bytes()[2], b'6'..=b'9') => {
            valid(&format!("55{}9{}", &nat[..2], &nat[2..])).filter(is_mobile)
        }
        _ => None,
    }?;
    Some(other)
}

/// The warning for a number accepted by [`lenient`], naming the plan's form.
pub(super) fn warning(plan_form: &PhoneNumber) -> PhoneIssue {
    let e164 = plan_form.e164();
    let message = if plan_form.calling_code() == "52" {
        format!("this is the whatsapp id form of a mexican number (+52 1); the numbering plan writes it {e164}")
    } else {
        format!("this is the whatsapp id form of a brazilian mobile without the ninth digit; the numbering plan writes it {e164}")
    };
    PhoneIssue::new(Code::PhoneWhatsappId, message)
}

/// For a valid number whose WhatsApp id may be written differently, the warning.
pub(super) fn alternative(number: &PhoneNumber) -> Option<PhoneIssue> {
    // Most numbers are none of these: their digits are not read as text.
    if !matches!(number.calling_code(), "52" | "54" | "55") {
        return None;
    }
    let nat = number.national_number();
    let message = match number.calling_code() {
        "52" if is_mobile(number) => format!(
            "whatsapp may know this mexican mobile as +521{nat} (its id before 2019); the payload keeps {}",
            number.e164()
        ),
        "54" if number.number_type() == Some(NumberType::FixedLine) => {
            let mobile = valid(&format!("549{nat}")).filter(is_mobile)?;
            format!(
                "if this is an argentine mobile, its whatsapp id is {} (with the 9 after +54)",
                mobile.e164()
            )
        }
        "55" if number.number_type() == Some(NumberType::Mobile)
            && nat.len() == 11
            && nat.as_bytes()[2] == b'9' =>
        {
            format!(
                "whatsapp may know this brazilian mobile as +55{}{} (without the ninth digit) if the account predates it",
                &nat[..2],
                &nat[3..]
            )
        }
        _ => return None,
    };
    Some(PhoneIssue::new(Code::PhoneWhatsappId, message))
}

/// The mobile form of a valid number that WhatsApp knows by another id: an
/// Argentine number written without the `9` after `+54` whose `9` form is a
/// mobile (national dialling writes that `9` as `15`, so people leave it out).
pub(super) fn mobile_form(number: &PhoneNumber) -> Option<String> {
    if number.calling_code() != "54" || number.number_type() != Some(NumberType::FixedLine) {
        return None;
    }
    let mobile = valid(&format!("549{}", number.national_number())).filter(is_mobile)?;
    Some(mobile.e164())
}
