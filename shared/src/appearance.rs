//! The merchant's `appearance.variables`: which keys there are, the CSS custom property
//! each sets in the widget (`frontend/style.css`), and a check strict enough to use
//! without a browser.
//!
//! The widget itself asks the browser (`CSS.supports`) before it sets a value. The
//! backend, which writes the first phone form into the widget's page, cannot ask, so it
//! takes only values of a plain shape ([`plainly_valid`]); anything else waits for the
//! widget. A value of the wrong type in a custom property would not be dropped: it would
//! make the property it styles fall back to nothing (a button without a colour).

/// What a variable's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Colour,
    Length,
    FontFamily,
}

/// One appearance variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    /// The key in `appearance.variables`, e.g. `colorPrimary`.
    pub key: &'static str,
    /// The custom property it sets, e.g. `--primary`.
    pub property: &'static str,
    /// The property the widget asks the browser about (`CSS.supports`).
    pub probe: &'static str,
    pub kind: Kind,
}

const fn variable(
    key: &'static str,
    property: &'static str,
    probe: &'static str,
    kind: Kind,
) -> Variable {
    Variable {
        key,
        property,
        probe,
        kind,
    }
}

pub const VARIABLES: [Variable; 7] = [
    variable("colorPrimary", "--primary", "color", Kind::Colour),
    variable("colorBackground", "--bg", "background-color", Kind::Colour),
    variable("colorText", "--text", "color", Kind::Colour),
    variable("colorDanger", "--danger", "color", Kind::Colour),
    variable("borderRadius", "--radius", "border-radius", Kind::Length),
    variable("fontFamily", "--font", "font-family", Kind::FontFamily),
    variable("spacingUnit", "--space", "padding", Kind::Length),
];

/// Longer values are refused.
pub const MAX_VALUE_LEN: usize = 200;

/// `value` has a shape that is valid for `kind` in every browser: `#rgb`, `#rgba`,
/// `#rrggbb`, `#rrggbbaa`; `rgb(…)`/`rgba(…)`/`hsl(…)`/`hsla(…)` of numbers; `0` or a
/// number of `px`, `rem` or `em`; font names of letters, digits, spaces and hyphens,
/// comma-separated, each starting with a letter or quoted. Valid values of other shapes
/// (`red`, `calc(…)`) are refused here and left to the widget.
pub fn plainly_valid(kind: Kind, value: &str) -> bool {
    if value.is_empty() || value.len() > MAX_VALUE_LEN {
        return false;
    }
    match kind {
        Kind::Colour => hex_colour(value) || colour_function(value),
        Kind::Length => length(value),
        Kind::FontFamily => value.split(',').all(font_name),
    }
}

fn hex_colour(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn colour_function(value: &str) -> bool {
    let Some((name, rest)) = value.split_once('(') else {
        return false;
    };
    let Some(args) = rest.strip_suffix(')') else {
        return false;
    };
    matches!(name, "rgb" | "rgba" | "hsl" | "hsla")
        && args.bytes().any(|b| b.is_ascii_digit())
        && args.bytes().all(|b| {
            b.is_ascii_digit() || b" .,%/-".contains(&b) || b == b'd' || b == b'e' || b == b'g'
        })
}

fn length(value: &str) -> bool {
    if value == "0" {
        return true;
    }
    let number = ["px", "rem", "em"]
        .iter()
        .find_map(|unit| value.strip_suffix(unit));
    number.is_some_and(|n| {
        let (whole, fraction) = n.split_once('.').unwrap_or((n, "0"));
        (1..=4).contains(&whole.len())
            && (1..=3).contains(&fraction.len())
            && whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
    })
}

fn font_name(name: &str) -> bool {
    let name = name.trim();
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
    };
    if let Some(quoted) = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .or_else(|| name.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')))
    {
        return plain(quoted);
    }
    plain(name)
        && name
            .split(' ')
            .filter(|word| !word.is_empty())
            .all(|word| word.starts_with(|c: char| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_pass_and_anything_that_could_break_out_does_not() {
        for ok in [
            "#0a5c36",
            "#FFF",
            "#0a5c3680",
            "rgb(10, 92, 54)",
            "hsl(150 80% 20% / 0.5)",
        ] {
            assert!(plainly_valid(Kind::Colour, ok), "{ok}");
        }
        for ok in ["0", "12px", "0.5rem", "1.25em"] {
            assert!(plainly_valid(Kind::Length, ok), "{ok}");
        }
        for ok in ["Inter, sans-serif", "\"Open Sans\", Arial", "'Fira Code'"] {
            assert!(plainly_valid(Kind::FontFamily, ok), "{ok}");
        }
        let bad = [
            (Kind::Colour, "red"),
            (Kind::Colour, "#12345"),
            (Kind::Colour, "rgb(1,2,3);}body{display:none"),
            (Kind::Colour, "url(javascript:alert(1))"),
            (Kind::Colour, "</style><script>"),
            (Kind::Length, "url(javascript:alert(1))"),
            (Kind::Length, "12"),
            (Kind::Length, "-4px"),
            (Kind::Length, "1e3px"),
            (Kind::FontFamily, "Inter;}"),
            (Kind::FontFamily, "'Inter"),
            (Kind::FontFamily, "12abc"),
            (Kind::FontFamily, "a</style>"),
            (Kind::FontFamily, ""),
        ];
        for (kind, value) in bad {
            assert!(!plainly_valid(kind, value), "{kind:?} {value}");
        }
        assert!(!plainly_valid(
            Kind::FontFamily,
            &"a".repeat(MAX_VALUE_LEN + 1)
        ));
    }
}
