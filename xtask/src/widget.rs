//! Builds the browser apps with trunk: the checkout widget into `frontend/dist` (the root
//! `Trunk.toml`) and the merchant dashboard into `dashboard/dist` (`dashboard/Trunk.toml`).

use std::path::Path;
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::workspace::Workspace;

/// Both apps, `trunk build --release --offline`; the tools must be in place.
pub fn build(ws: &Workspace) -> Result<(), Error> {
    build_app(ws, "the widget", Path::new("Trunk.toml"), &ws.widget_dist())?;
    build_app(
        ws,
        "the dashboard",
        &Path::new("dashboard").join("Trunk.toml"),
        &ws.dashboard_dist(),
    )
}

/// `trunk build --release --offline --config <config>` at the workspace root.
fn build_app(ws: &Workspace, what: &str, config: &Path, dist: &Path) -> Result<(), Error> {
    heading(&format!("Building {what} (trunk build --release)"));
    if !ws.root.join(config).is_file() {
        return Err(Error::Other(format!(
            "no {} in {}",
            config.display(),
            ws.root.display()
        )));
    }
    let trunk = ws
        .which("trunk")?
        .ok_or_else(|| Error::Other("trunk is not installed".to_owned()))?;
    process::run(
        &format!("building {what}"),
        Command::new(trunk)
            .args(["build", "--release", "--offline", "--config"])
            .arg(config)
            .current_dir(&ws.root)
            // Our wasm-opt and the cargo-installed tools come first: trunk looks them up on PATH.
            .env("PATH", ws.path_env()?),
    )?;
    let index = dist.join("index.html");
    if !index.is_file() {
        return Err(Error::Other(format!(
            "trunk finished but {} is missing",
            index.display()
        )));
    }
    println!("    {what} built into {}", dist.display());
    Ok(())
}
