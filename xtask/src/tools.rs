//! Installs what the build and the tests need, skipping whatever is already there:
//! the wasm target, trunk, the wasm-bindgen CLI, a recent wasm-opt, esbuild, axe-core,
//! Chromium and chromedriver.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::workspace::{Workspace, cargo};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// trunk 0.22 needs a newer rustc than ours.
const TRUNK_VERSION: &str = "0.21.14";
/// Older wasm-opt (Debian's binaryen 108) produces a wasm that dies in the browser.
const MIN_WASM_OPT: u32 = 116;
const CHROMIUM: &str = "/usr/bin/chromium";

/// Everything `trunk build` needs.
pub fn ensure_build_tools(ws: &Workspace) -> Result<(), Error> {
    heading("Checking the build tools");
    ensure_wasm_target(ws)?;
    ensure_trunk(ws)?;
    ensure_wasm_bindgen(ws)?;
    ensure_wasm_opt(ws)?;
    ensure_esbuild(ws)
}

fn ensure_wasm_target(ws: &Workspace) -> Result<(), Error> {
    let installed = process::capture(
        Command::new("rustup")
            .args(["target", "list", "--installed"])
            .current_dir(&ws.root),
    );
    if installed.is_some_and(|list| list.lines().any(|line| line.trim() == WASM_TARGET)) {
        println!("    ok: Rust target {WASM_TARGET}");
        return Ok(());
    }
    heading(&format!("Adding the Rust target {WASM_TARGET}"));
    process::run(
        "adding the wasm target",
        Command::new("rustup")
            .args(["target", "add", WASM_TARGET])
            .current_dir(&ws.root),
    )
}

fn ensure_trunk(ws: &Workspace) -> Result<(), Error> {
    let version = || Ok::<_, Error>(tool_version(ws, "trunk")?.and_then(|text| second_word(&text)));
    if version()?.as_deref() == Some(TRUNK_VERSION) {
        println!("    ok: trunk {TRUNK_VERSION}");
        return Ok(());
    }
    heading(&format!(
        "Installing trunk {TRUNK_VERSION} (cargo install; takes a few minutes)"
    ));
    process::run(
        "installing trunk",
        Command::new(cargo()).args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )?;
    expect_version("trunk", TRUNK_VERSION, version()?)
}

fn ensure_wasm_bindgen(ws: &Workspace) -> Result<(), Error> {
    let lock_path = ws.root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(Error::io(format!("reading {}", lock_path.display())))?;
    let wanted = locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
        Error::Other(format!(
            "{} does not mention wasm-bindgen",
            lock_path.display()
        ))
    })?;
    let version =
        || Ok::<_, Error>(tool_version(ws, "wasm-bindgen")?.and_then(|text| second_word(&text)));
    if version()?.as_deref() == Some(wanted.as_str()) {
        println!("    ok: wasm-bindgen {wanted} (as in Cargo.lock)");
        return Ok(());
    }
    heading(&format!(
        "Installing wasm-bindgen-cli {wanted} to match Cargo.lock (cargo install)"
    ));
    // Not --locked: the CLI's own lock file pins dependencies our toolchain may not build.
    let exact = format!("={wanted}");
    process::run(
        "installing wasm-bindgen-cli",
        Command::new(cargo()).args(["install", "wasm-bindgen-cli", "--version", &exact]),
    )?;
    expect_version("wasm-bindgen", &wanted, version()?)
}

fn ensure_wasm_opt(ws: &Workspace) -> Result<(), Error> {
    let local = ws.node_bin().join("wasm-opt");
    if let Some(version) = wasm_opt_version(&local).filter(|v| *v >= MIN_WASM_OPT) {
        println!("    ok: wasm-opt {version} in {}", ws.node_bin().display());
        return Ok(());
    }
    npm_install(
        ws,
        "binaryen",
        &format!(
            "wasm-opt >= {MIN_WASM_OPT} (do not use Debian's binaryen package: it is too old)"
        ),
    )?;
    match wasm_opt_version(&local) {
        Some(version) if version >= MIN_WASM_OPT => {
            println!("    ok: wasm-opt {version}");
            Ok(())
        }
        found => Err(Error::Other(format!(
            "after `npm install binaryen`, {} reports version {found:?}; need >= {MIN_WASM_OPT}",
            local.display()
        ))),
    }
}

/// axe-core's browser script, which the browser tests inject into the widget.
pub fn axe_core_script(ws: &Workspace) -> PathBuf {
    ws.tools_dir()
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js")
}

/// axe-core from npm (next to binaryen), for the browser tests' accessibility checks.
pub fn ensure_axe_core(ws: &Workspace) -> Result<(), Error> {
    ensure_npm_package(
        ws,
        "axe-core",
        &axe_core_script(ws),
        "axe-core (for the browser tests)",
    )
}

/// Redoc, whose standalone script renders the API reference at `/docs/api`: only that
/// file of the npm package (`npm pack` fetches the package alone, none of its
/// dependencies), at a pinned version noted beside it.
const REDOC_VERSION: &str = "2.5.2";

/// Where the backend finds Redoc's script (`API_DOCS_DIR`).
pub fn api_docs_dir(ws: &Workspace) -> PathBuf {
    ws.tools_dir().join("redoc")
}

pub fn ensure_redoc(ws: &Workspace) -> Result<(), Error> {
    let dir = api_docs_dir(ws);
    let script = dir.join("redoc.standalone.js");
    let marker = dir.join("VERSION");
    let installed = std::fs::read_to_string(&marker).is_ok_and(|v| v.trim() == REDOC_VERSION);
    if installed && script.is_file() {
        println!("    ok: Redoc {REDOC_VERSION} in {}", dir.display());
        return Ok(());
    }
    if ws.which("npm")?.is_none() {
        return Err(Error::Other(
            "the API reference's script comes from npm (package redoc), but `npm` was not \
             found. Install Node.js and npm."
                .to_owned(),
        ));
    }
    heading(&format!(
        "Fetching Redoc {REDOC_VERSION}'s script from npm into {}",
        dir.display()
    ));
    std::fs::create_dir_all(&dir).map_err(Error::io(format!("creating {}", dir.display())))?;
    process::run(
        "npm pack redoc",
        Command::new("npm")
            .args(["pack", "--silent", "--pack-destination"])
            .arg(&dir)
            .arg(format!("redoc@{REDOC_VERSION}"))
            .env("PATH", ws.path_env()?),
    )?;
    let tarball = dir.join(format!("redoc-{REDOC_VERSION}.tgz"));
    process::run(
        "unpacking redoc.standalone.js",
        Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&dir)
            .args([
                "--strip-components=2",
                "package/bundles/redoc.standalone.js",
            ]),
    )?;
    std::fs::remove_file(&tarball).map_err(Error::io(format!("removing {}", tarball.display())))?;
    std::fs::write(&marker, REDOC_VERSION)
        .map_err(Error::io(format!("writing {}", marker.display())))?;
    if script.is_file() {
        Ok(())
    } else {
        Err(Error::Other(format!(
            "after unpacking Redoc, {} is missing",
            script.display()
        )))
    }
}

/// esbuild from npm, which minifies the widget's JS glue (`frontend/build/minify-js.mjs`;
/// trunk's own minifier cannot parse wasm-bindgen's output).
fn ensure_esbuild(ws: &Workspace) -> Result<(), Error> {
    let package = ws
        .tools_dir()
        .join("node_modules")
        .join("esbuild")
        .join("package.json");
    ensure_npm_package(ws, "esbuild", &package, "esbuild (for the widget build)")
}

/// Installs `package` from npm into the tools directory unless `marker` is there.
fn ensure_npm_package(
    ws: &Workspace,
    package: &str,
    marker: &Path,
    for_what: &str,
) -> Result<(), Error> {
    if marker.is_file() {
        println!("    ok: {package} in {}", ws.tools_dir().display());
        return Ok(());
    }
    npm_install(ws, package, for_what)?;
    if marker.is_file() {
        println!("    ok: {package}");
        Ok(())
    } else {
        Err(Error::Other(format!(
            "after `npm install {package}`, {} is missing",
            marker.display()
        )))
    }
}

/// `npm install <package>` into the tools directory; `needed` says what for, if npm is missing.
fn npm_install(ws: &Workspace, package: &str, needed: &str) -> Result<(), Error> {
    if ws.which("npm")?.is_none() {
        return Err(Error::Other(format!(
            "{needed} is needed and comes from npm (package {package}), but `npm` was not \
             found. Install Node.js and npm."
        )));
    }
    let tools = ws.tools_dir();
    heading(&format!(
        "Installing {package} from npm into {}",
        tools.display()
    ));
    std::fs::create_dir_all(&tools).map_err(Error::io(format!("creating {}", tools.display())))?;
    process::run(
        &format!("installing {package}"),
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg(package)
            .env("PATH", ws.path_env()?),
    )
}

/// Chromium and chromedriver for the browser tests.
pub struct Browser {
    pub chrome: PathBuf,
    pub chromedriver: PathBuf,
}

pub fn ensure_browser(ws: &Workspace) -> Result<Browser, Error> {
    if let Some(browser) = find_browser(ws)? {
        println!(
            "    ok: {} and {}",
            browser.chrome.display(),
            browser.chromedriver.display()
        );
        return Ok(browser);
    }
    heading("Installing Chromium and chromedriver (apt-get)");
    apt_install(&["chromium", "chromium-driver"])?;
    find_browser(ws)?.ok_or_else(|| {
        Error::Other(format!(
            "apt-get finished, but {CHROMIUM} or chromedriver is still missing"
        ))
    })
}

/// Debian's `packages`, after refreshing the package lists.
pub fn apt_install(packages: &[&str]) -> Result<(), Error> {
    process::run("apt-get update", Command::new("apt-get").arg("update"))?;
    process::run(
        &format!("installing {}", packages.join(" ")),
        Command::new("apt-get")
            .args(["install", "-y"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// `CHROME`/`CHROMEDRIVER` from the environment when set, else `/usr/bin/chromium` and PATH.
fn find_browser(ws: &Workspace) -> Result<Option<Browser>, Error> {
    let chrome = env::var_os("CHROME").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from);
    let chromedriver = match env::var_os("CHROMEDRIVER") {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => ws.which("chromedriver")?,
    };
    Ok(chromedriver
        .filter(|_| chrome.is_file())
        .map(|chromedriver| Browser {
            chrome,
            chromedriver,
        }))
}

/// `name --version` of the first `name` on the workspace PATH, if there is one.
fn tool_version(ws: &Workspace, name: &str) -> Result<Option<String>, Error> {
    Ok(ws
        .which(name)?
        .and_then(|path| process::capture(Command::new(path).arg("--version"))))
}

fn expect_version(tool: &str, wanted: &str, found: Option<String>) -> Result<(), Error> {
    match found {
        Some(found) if found == wanted => {
            println!("    ok: {tool} {wanted}");
            Ok(())
        }
        found => Err(Error::Other(format!(
            "installed {tool} {wanted}, but the `{tool}` found first on PATH reports {found:?}; \
             remove the other one or put {} first on PATH",
            crate::workspace::cargo_bin_dir().display()
        ))),
    }
}

/// `trunk 0.21.14` → `0.21.14`.
fn second_word(text: &str) -> Option<String> {
    text.split_whitespace().nth(1).map(str::to_owned)
}

/// The version of `package` in a Cargo.lock (the first, if several).
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines().map(str::trim);
    lines.find(|line| *line == name_line)?;
    lines
        .next()?
        .strip_prefix("version = \"")?
        .strip_suffix('"')
        .map(str::to_owned)
}

/// `wasm-opt version 123 (version_123)` → 123.
fn wasm_opt_version(path: &Path) -> Option<u32> {
    let text = process::capture(Command::new(path).arg("--version"))?;
    parse_wasm_opt_version(&text)
}

fn parse_wasm_opt_version(text: &str) -> Option<u32> {
    let mut words = text.split_whitespace();
    words.find(|word| *word == "version")?;
    words.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_wasm_bindgen_version_in_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "trunk"), None);
    }

    #[test]
    fn reads_wasm_opt_and_trunk_versions() {
        assert_eq!(
            parse_wasm_opt_version("wasm-opt version 123 (version_123)\n"),
            Some(123)
        );
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108\n"), Some(108));
        assert_eq!(parse_wasm_opt_version("garbage"), None);
        assert_eq!(second_word("trunk 0.21.14\n").as_deref(), Some("0.21.14"));
    }
}
