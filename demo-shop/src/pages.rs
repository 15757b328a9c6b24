//! The shop's HTML: small server-rendered pages with one inline stylesheet, built with maud,
//! which escapes every interpolated value.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use shared::merchant::MerchantPayment;

use crate::product::{Product, Quantity};

const STYLE: &str = "
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f1f1f;background:#faf7f5}
header{background:#ff5b24;color:#fff;padding:.9rem 1.5rem;font-weight:700;font-size:1.2rem}
header a{color:inherit;text-decoration:none}
header a.orders{float:right;font-weight:400;font-size:1rem}
main{max-width:34rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08);padding:1.5rem;margin-bottom:1.25rem}
.product{display:flex;gap:1.25rem;align-items:center}
.product svg{flex:none}
h1,h2{margin:0 0 .5rem}
.price{font-size:1.25rem;font-weight:700}
.muted{color:#6b6b6b;font-size:.9rem}
form{display:flex;gap:.75rem;align-items:end;margin-top:1rem}
label{display:flex;flex-direction:column;font-size:.9rem}
select{font:inherit;padding:.45rem;border-radius:8px;border:1px solid #ccc}
button{font:inherit;font-weight:700;color:#fff;background:#ff5b24;border:0;border-radius:999px;padding:.6rem 1.6rem;cursor:pointer}
button:hover{background:#e94a14}
table{width:100%;border-collapse:collapse}
td{padding:.3rem 0}
td:last-child{text-align:right}
tr.total td{border-top:1px solid #eee;font-weight:700}
.status{display:inline-block;padding:.15rem .6rem;border-radius:999px;background:#eee;font-size:.9rem}
.status.authorised,.status.paid,.status.shipped,.status.captured{background:#d9f5e3;color:#0b6b33}
.status.failed,.status.cancelled,.status.expired{background:#fde2e2;color:#8f1d1d}
th{text-align:left;font-size:.9rem;color:#6b6b6b;padding:.3rem 0}
";

/// A whole page; `refresh` makes the browser load it again after two seconds.
pub(crate) fn layout(title: &str, refresh: bool, main: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                @if refresh {
                    meta http-equiv="refresh" content="2";
                }
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Demo Shop" }
                // Constant CSS written here; escaping would only mangle its quotes.
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { a href="/" { "Demo Shop" } " " a href="/orders" class="orders" { "Orders" } }
                main { (main) }
            }
        }
    }
    .into_string()
}

/// A drawn sock: no images to fetch, no emoji font needed.
fn sock() -> Markup {
    html! {
        svg width="96" height="96" viewBox="0 0 64 64" aria-hidden="true" {
            path d="M24 4h20v30L33 55a10 10 0 0 1-17-9l8-14z" fill="#ff5b24" {}
            rect x="24" y="4" width="20" height="8" rx="2" fill="#ffc9b5" {}
            path d="M16 46a10 10 0 0 0 17 9l3-6a12 12 0 0 1-19-6z" fill="#c93c0c" {}
        }
    }
}

/// `GET /`: the product and a Buy button.
pub fn home(product: &Product) -> String {
    let price = product
        .total(Quantity::ONE)
        .map(|a| a.to_string())
        .unwrap_or_default();
    layout(
        product.name,
        false,
        html! {
            section class="card product" {
                (sock())
                div {
                    h1 { (product.name) }
                    p { (product.blurb) }
                    p class="price" { (price) }
                    form method="post" action="/checkout" {
                        label {
                            "Quantity "
                            select name="quantity" {
                                @for n in 1..=Quantity::MAX {
                                    option value=(n) { (n) }
                                }
                            }
                        }
                        button id="buy" type="submit" { "Buy" }
                    }
                }
            }
        },
    )
}

/// What the checkout page shows and embeds.
pub struct CheckoutView<'a> {
    pub payment: &'a MerchantPayment,
    pub client_secret: &'a str,
    pub psp_checkout_url: &'a str,
}

/// `POST /checkout`: the order summary and the widget, embedded as a merchant would.
pub fn checkout(view: &CheckoutView<'_>) -> String {
    let payment = view.payment;
    layout(
        "Checkout",
        false,
        html! {
            section class="card" {
                h1 { "Your order" }
                table {
                    tr { td { (payment.description.as_str()) } td { (payment.amount) } }
                    tr class="total" { td { "Total" } td { (payment.amount) } }
                }
                p class="muted" { "Order " (payment.merchant_order_id.as_str()) }
            }
            section class="card" {
                h2 { "Pay with Vipps" }
                div id="vipps-checkout" {}
                script src={ (view.psp_checkout_url) "/checkout.js" } data-payment=(payment.id.as_str())
                    data-client-secret=(view.client_secret) data-container="#vipps-checkout" {}
            }
            // A constant script written here; escaping would break its quotes.
            script { (PreEscaped(SUCCEEDED_SCRIPT)) }
            p { a href="/" { "← Back to the shop" } }
        },
    )
}

/// Once the widget reports success, show the order page (which asks the PSP, not the browser).
const SUCCEEDED_SCRIPT: &str = "
document.getElementById('vipps-checkout').addEventListener('vipps-psp:succeeded', function () {
  var id = document.querySelector('script[data-payment]').getAttribute('data-payment');
  window.location.assign('/orders/' + encodeURIComponent(id));
});
";

/// A friendly error page; the cause is logged, not shown.
pub fn error(title: &str, message: &str) -> String {
    layout(
        title,
        false,
        html! {
            section class="card" id="error" {
                h1 { (title) }
                p { (message) }
            }
            p { a href="/" { "← Back to the shop" } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_page_has_the_buy_button_and_the_price() {
        let page = home(&crate::product::SOCKS);
        assert!(page.contains("id=\"buy\""));
        assert!(page.contains("299,00 kr"));
    }
}
