//! Kroner as people type them (`12,50`, `12.50`, `1 234`, `12,50 kr`) to øre exactly, with
//! integers only; and øre written back as kroner in the page's language.

use shared::{Amount, AmountError};

use crate::text::Lang;

/// Why typed kroner are not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KronerError {
    /// Not digits with at most one decimal comma or point.
    NotANumber,
    /// More than two digits after the decimal sign (øre are the smallest unit).
    TooPrecise,
    Zero,
    TooLarge,
}

/// The amount typed into an optional field: `None` when left empty (all that is left).
pub fn parse_optional(input: &str) -> Result<Option<Amount>, KronerError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

/// Kroner to øre: digits (spaces between groups allowed), then optionally `,` or `.` and
/// one or two digits; `kr` before or after is ignored.
pub fn parse(input: &str) -> Result<Amount, KronerError> {
    let text = input.trim();
    let text = text
        .strip_suffix("kr")
        .or_else(|| text.strip_prefix("kr"))
        .or_else(|| text.strip_prefix("NOK"))
        .unwrap_or(text)
        .trim();
    let digits: String = text
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    let (whole, fraction) = match digits.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (digits.as_str(), ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(KronerError::NotANumber);
    }
    if fraction.len() > 2 {
        return Err(KronerError::TooPrecise);
    }
    let kroner = number(whole).ok_or(KronerError::TooLarge)?;
    let ore = number(fraction)
        .unwrap_or(0)
        .checked_mul(if fraction.len() == 1 { 10 } else { 1 })
        .unwrap_or(0);
    let total = kroner
        .checked_mul(100)
        .and_then(|n| n.checked_add(ore))
        .ok_or(KronerError::TooLarge)?;
    Amount::from_ore(total).map_err(|error| match error {
        AmountError::Zero => KronerError::Zero,
        AmountError::TooLarge => KronerError::TooLarge,
    })
}

/// The value of ASCII digits (0 for none); `None` past `u64`.
fn number(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0_u64, |n, b| {
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// Øre as kroner: `1 234,50 kr` in Norwegian, `NOK 1,234.50` in English.
pub fn format(lang: Lang, ore: u32) -> String {
    let kroner = (ore / 100).to_string();
    let (group, decimal) = match lang {
        Lang::Nb => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::with_capacity(kroner.len() + 4);
    for (i, digit) in kroner.chars().enumerate() {
        if i > 0 && (kroner.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let cents = ore % 100;
    match lang {
        Lang::Nb => format!("{grouped}{decimal}{cents:02}\u{a0}kr"),
        Lang::En => format!("NOK\u{a0}{grouped}{decimal}{cents:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ore(input: &str) -> Result<u32, KronerError> {
        parse(input).map(Amount::ore)
    }

    #[test]
    fn kroner_with_a_comma_or_a_point_become_exact_ore() {
        assert_eq!(ore("12,50"), Ok(1250));
        assert_eq!(ore("12.50"), Ok(1250));
        assert_eq!(ore("12,5"), Ok(1250));
        assert_eq!(ore("12"), Ok(1200));
        assert_eq!(ore("0,01"), Ok(1));
        assert_eq!(ore(",5"), Ok(50));
        assert_eq!(ore("12,"), Ok(1200));
        assert_eq!(ore(" 1 234,56 kr "), Ok(123_456));
        assert_eq!(ore("1\u{a0}234,56\u{a0}kr"), Ok(123_456));
        assert_eq!(ore("NOK 10.10"), Ok(1010));
        // 0.1 + 0.2 is not 0.30000000000000004 here.
        assert_eq!(ore("0,29"), Ok(29));
        assert_eq!(ore("21474836,47"), Ok(Amount::MAX_ORE));
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        for bad in [
            "", " ", "abc", "-5", "+5", "1e3", "1,2,3", "1.234,50", "12 kr 50", ",",
        ] {
            assert_eq!(ore(bad), Err(KronerError::NotANumber), "{bad:?}");
        }
        assert_eq!(ore("12,345"), Err(KronerError::TooPrecise));
        assert_eq!(ore("0"), Err(KronerError::Zero));
        assert_eq!(ore("0,00"), Err(KronerError::Zero));
        assert_eq!(ore("21474836,48"), Err(KronerError::TooLarge));
        assert_eq!(ore("99999999999999999999999"), Err(KronerError::TooLarge));
    }

    #[test]
    fn an_empty_optional_amount_means_all() {
        assert_eq!(parse_optional("  "), Ok(None));
        assert_eq!(
            parse_optional("1").map(|a| a.map(Amount::ore)),
            Ok(Some(100))
        );
    }

    #[test]
    fn ore_are_written_as_kroner_in_each_language() {
        assert_eq!(format(Lang::Nb, 123_450), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(format(Lang::En, 123_450), "NOK\u{a0}1,234.50");
        assert_eq!(format(Lang::Nb, 5), "0,05\u{a0}kr");
        assert_eq!(format(Lang::En, 100_000_000), "NOK\u{a0}1,000,000.00");
    }
}
