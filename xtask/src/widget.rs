//! Builds the checkout widget with trunk into `frontend/dist`.

use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::workspace::Workspace;

/// `trunk build --release --offline` at the workspace root; the tools must be in place.
pub fn build(ws: &Workspace) -> Result<(), Error> {
    heading("Building the widget (trunk build --release)");
    if !ws.root.join("Trunk.toml").is_file() {
        return Err(Error::Other(format!(
            "no Trunk.toml in {}",
            ws.root.display()
        )));
    }
    let trunk = ws
        .which("trunk")?
        .ok_or_else(|| Error::Other("trunk is not installed".to_owned()))?;
    process::run(
        "building the widget",
        Command::new(trunk)
            .args(["build", "--release", "--offline"])
            .current_dir(&ws.root)
            // Our wasm-opt and the cargo-installed tools come first: trunk looks them up on PATH.
            .env("PATH", ws.path_env()?),
    )?;
    let index = ws.widget_dist().join("index.html");
    if !index.is_file() {
        return Err(Error::Other(format!(
            "trunk finished but {} is missing",
            index.display()
        )));
    }
    println!("    widget built into {}", ws.widget_dist().display());
    Ok(())
}
