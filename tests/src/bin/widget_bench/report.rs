//! `docs/benchmarks.md`: where, when and how it was measured, and the two tables.

use std::fmt::Write;

use crate::weight::{self, File};
use e2e::bench::{Machine, percentile};

/// Total brotli size the first render should stay within: 45 KB.
pub const BUDGET_BROTLI: u64 = 45 * 1024;
/// Median time to the phone form the widget should stay within.
pub const TARGET_MS: f64 = 150.0;

/// One row of the speed table: a page and its timings in milliseconds.
pub struct Timing {
    pub name: &'static str,
    pub samples: Vec<f64>,
}

pub fn render(machine: &Machine, chromium: &str, files: &[File], timings: &[Timing]) -> String {
    let mut md = String::from("## The widget\n\n");
    _ = writeln!(
        md,
        "Measured by `cargo xtask bench` on {} on this machine: {} CPUs ({}), {}, \
         Chromium {} (headless). It builds the widget in release mode, serves it from the \
         backend on 127.0.0.1 and measures it in headless Chromium. Compare numbers only \
         with runs on the same machine; nothing here is asserted by the tests.\n",
        machine.date, machine.cpus, machine.cpu_model, machine.rustc, chromium
    );
    weight_section(&mut md, files);
    speed_section(&mut md, timings);
    md
}

/// The app's code: the widget's JS glue and wasm, which the served page's phone form
/// does not wait for.
fn is_app_code(path: &str) -> bool {
    path.starts_with("/widget/") && (path.ends_with(".js") || path.ends_with(".wasm"))
}

fn weight_section(md: &mut String, files: &[File]) {
    let (app, first): (Vec<File>, Vec<File>) =
        files.iter().cloned().partition(|f| is_app_code(&f.path));
    md.push_str(
        "### Weight of the first render

",
    );
    md.push_str(
        "Every file the shopper's browser downloads until the phone form shows: the loader \
         from the merchant page, then the widget's page as the backend serves it for a \
         payment that waits for a number, with the phone form and the CSS in it. The page \
         also asks for the app's JS glue and wasm (preloads and a module script, which do \
         not hold up the page's first paint); they make the app run, which takes the form \
         over (`frontend/src/boot.rs`), and are listed after. As the browser's resource \
         timing lists them; API calls excluded. Sizes of the bytes as served, compressed \
         here with node's zlib: gzip level 9, brotli quality 11.\n\n",
    );
    md.push_str("| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n");
    rows(md, &first);
    let t = total_row(md, "**first render**", &first);
    rows(md, &app);
    let all = total_row(md, "**with the app running**", files);
    md.push('\n');
    let verdict = if t.brotli <= BUDGET_BROTLI {
        format!(
            "within it by {}",
            kb(BUDGET_BROTLI.saturating_sub(t.brotli))
        )
    } else {
        format!(
            "**over it by {}**",
            kb(t.brotli.saturating_sub(BUDGET_BROTLI))
        )
    };
    _ = writeln!(
        md,
        "Budget: {} brotli for the first render ({} bytes); it is {} bytes, {verdict}. \
         With the app running, {} brotli in all.\n",
        kb(BUDGET_BROTLI),
        BUDGET_BROTLI,
        t.brotli,
        kb(all.brotli)
    );
    md.push_str(
        "What the app's wasm is made of and what was cut from it (a Leptos 0.8 hello world \
         alone is about 36 KB brotli of wasm and JS): \
         [frontend/README.md, Weight](../frontend/README.md#weight).\n\n",
    );
}

fn rows(md: &mut String, files: &[File]) {
    for file in files {
        let name = match file.path.as_str() {
            "/widget/" => "/widget/ (the page, with the phone form)",
            path => path,
        };
        let s = file.sizes;
        _ = writeln!(
            md,
            "| `{name}` | {} | {} | {} |",
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
    }
}

fn total_row(md: &mut String, name: &str, files: &[File]) -> weight::Sizes {
    let t = weight::total(files);
    _ = writeln!(
        md,
        "| {name} | **{}** | **{}** | **{}** |",
        kb(t.raw),
        kb(t.gzip),
        kb(t.brotli)
    );
    t
}

fn speed_section(md: &mut String, timings: &[Timing]) {
    md.push_str("### Time to the phone form\n\n");
    md.push_str(
        "From the iframe starting to load (its `performance.timeOrigin`) to the frame that \
         first paints a phone field: a script injected before the document runs \
         (CDP `Page.addScriptToEvaluateOnNewDocument`) watches for the field with a \
         MutationObserver and takes `performance.now()` in the next `requestAnimationFrame`. \
         Two moments for the widget: the phone form of the served page (`#boot-phone`: the \
         shopper can type and press Pay from here), and the app's own form (`#phone`), which \
         also covers the JS and wasm (download, compile, start), the `init` handshake with \
         the loader and the first `GET` of the payment. The floor is the widget's own \
         rendered markup and CSS as a static page, in the same kind of iframe: what any \
         page of this look costs. Cold runs have the browser cache off \
         (CDP `Network.setCacheDisabled`); warm runs may use it. Runs alternate between \
         the pages, after two unrecorded warm-up rounds; a new payment for every widget run.\n\n",
    );
    md.push_str("| page | runs | median | p90 | min | max |\n|---|---:|---:|---:|---:|---:|\n");
    for timing in timings {
        let mut sorted = timing.samples.clone();
        sorted.sort_by(f64::total_cmp);
        _ = writeln!(
            md,
            "| {} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            timing.name,
            sorted.len(),
            percentile(&sorted, 50),
            percentile(&sorted, 90),
            percentile(&sorted, 0),
            percentile(&sorted, 100),
        );
    }
    _ = writeln!(
        md,
        "\nTarget: the widget's phone form painted at a median (cold) of at most \
         {TARGET_MS:.0} ms on this machine."
    );
}

/// Bytes as KB (1 KB = 1024 bytes) with one decimal.
fn kb(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10).saturating_add(512) / 1024;
    format!("{}.{} KB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kilobytes_have_one_decimal() {
        assert_eq!(kb(46_080), "45.0 KB");
        assert_eq!(kb(1_536), "1.5 KB");
        assert_eq!(kb(0), "0.0 KB");
    }

    #[test]
    fn the_first_render_leaves_out_only_the_widgets_js_and_wasm() {
        assert!(is_app_code("/widget/frontend-1a2b.js"));
        assert!(is_app_code("/widget/frontend-1a2b_bg.wasm"));
        assert!(!is_app_code("/checkout.js"), "the loader makes the frame");
        assert!(!is_app_code("/widget/"));
        assert!(!is_app_code("/widget/style-1a2b.css"));
    }
}
