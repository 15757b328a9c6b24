//! Page layout for the landing page and the phone app, and HTML escaping.
//! Every interpolated value goes through [`esc`].

use std::fmt;

use axum::response::Html;

/// Displays its text with `& < > " '` escaped.
pub struct Esc<'a>(&'a str);

pub fn esc(text: &str) -> Esc<'_> {
    Esc(text)
}

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                c => write!(f, "{c}")?,
            }
        }
        Ok(())
    }
}

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#fff5f0;color:#1c1c1c}\
header{background:#ff5b24;color:#fff;padding:14px 20px;font-weight:700;font-size:1.3rem;letter-spacing:.02em}\
main{max-width:420px;margin:24px auto;padding:0 16px}\
.card{background:#fff;border-radius:14px;box-shadow:0 2px 10px rgba(0,0,0,.08);padding:20px;margin-bottom:16px}\
.amount{font-size:2rem;font-weight:700;margin:6px 0}\
.muted{color:#6b6b6b}\
.error{color:#b00020;font-weight:600}\
label{display:block;margin:8px 0}\
fieldset{border:0;padding:0;margin:12px 0}legend{font-weight:600;margin-bottom:4px}\
input[type=tel],input[type=text]{width:100%;padding:10px;font-size:1.1rem;border:1px solid #ccc;border-radius:8px}\
button,.button{display:inline-block;border:0;border-radius:24px;padding:12px 22px;font-size:1rem;font-weight:600;cursor:pointer;text-decoration:none;margin:8px 8px 0 0}\
.primary{background:#ff5b24;color:#fff}\
.secondary{background:#eee;color:#1c1c1c}\
";

/// A whole page around `body` (already escaped HTML).
pub fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head>\
         <body><header>vipps</header><main>{body}</main></body></html>",
        esc(title)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>").to_string(),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_title_is_escaped_too() {
        assert!(
            page("<script>", "")
                .0
                .contains("<title>&lt;script&gt;</title>")
        );
    }
}
