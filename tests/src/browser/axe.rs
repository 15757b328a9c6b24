//! Accessibility checks with axe-core (WCAG 2.0/2.1 A and AA rules) in the current frame.
//!
//! axe-core comes from npm (`cargo xtask test` installs it into `target/tools`);
//! `AXE_CORE` may name another `axe.min.js`.

use std::fmt::Write;
use std::path::PathBuf;

use serde_json::Value;

use super::Browser;
use crate::TestResult;

const RUN: &str = "const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => done({violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))}),
        e => done({error: String(e)}));";

fn script_path() -> PathBuf {
    std::env::var_os("AXE_CORE").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/tools/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    )
}

/// Runs axe on the document of the current frame; `Err` lists every violation readably.
pub async fn check(browser: &Browser, state: &str) -> TestResult {
    let path = script_path();
    let source = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo xtask test`, or `npm install --prefix target/tools axe-core`)",
            path.display()
        )
    })?;
    let c = &browser.client;
    let loaded = c
        .execute("return typeof axe === 'object';", vec![])
        .await
        .map_err(|e| e.to_string())?;
    if loaded != Value::Bool(true) {
        c.execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .map_err(|e| format!("injecting axe-core: {e}"))?;
    }
    let result = c
        .execute_async(RUN, vec![])
        .await
        .map_err(|e| format!("running axe-core: {e}"))?;
    if let Some(error) = result.get("error") {
        return Err(format!("axe-core failed on {state}: {error}"));
    }
    let violations = result["violations"].as_array().cloned().unwrap_or_default();
    if violations.is_empty() {
        return Ok(());
    }
    Err(report(state, &violations))
}

fn report(state: &str, violations: &[Value]) -> String {
    let mut text = format!(
        "{} accessibility violation(s) in state `{state}`:",
        violations.len()
    );
    for v in violations {
        let s = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
        _ = write!(
            text,
            "\n- [{}] {}: {} ({})",
            s("impact"),
            s("id"),
            s("help"),
            s("helpUrl")
        );
        for node in v["nodes"].as_array().into_iter().flatten() {
            let summary = node["summary"].as_str().unwrap_or_default();
            _ = write!(
                text,
                "\n    at {}: {}",
                node["target"].as_str().unwrap_or_default(),
                summary.replace('\n', "\n      ")
            );
        }
    }
    text
}
