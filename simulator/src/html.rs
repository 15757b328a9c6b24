//! Page layout for the landing page and the phone app. Pages are built with maud, which
//! escapes every interpolated value; `PreEscaped` is kept for constant CSS and scripts.

use axum::response::Html;
use maud::{DOCTYPE, Markup, PreEscaped, html};

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

/// A whole page around `body`.
pub fn page(title: &str, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) }
                // Constant CSS written here; escaping would only mangle its quotes.
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { "vipps" }
                main { (body) }
            }
        }
    };
    Html(markup.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_escaped() {
        assert!(
            page("<script>", html! {})
                .0
                .contains("<title>&lt;script&gt;</title>")
        );
    }

    #[test]
    fn the_body_keeps_its_markup() {
        let body = html! { p id="x" { "a & b" } };
        assert!(
            page("Vipps", body)
                .0
                .contains("<main><p id=\"x\">a &amp; b</p></main>")
        );
    }
}
