//! The property-based API check of `cargo xtask test`: schemathesis (PyPI, a pinned
//! version in a virtual environment under `target/tools`) reads the OpenAPI document a
//! live backend serves (`/v1/openapi.json`), generates requests from it, valid and
//! invalid, and checks every answer: no 5xx, every status, content type, header and body
//! as the document says, invalid data refused. The backend runs as the real binary on a
//! fresh sandbox data directory, with the environment merchant's key.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::services::Services;
use crate::tools;
use crate::workspace::{Workspace, cargo};

/// The schemathesis release this check was written against.
const VERSION: &str = "4.32.5";

/// What each answer is held to (schemathesis's names).
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance,\
                      negative_data_rejection";

/// Examples per operation and phase: a few hundred requests in all, some 30 s.
const MAX_EXAMPLES: &str = "30";

pub fn run(ws: &Workspace) -> Result<(), Error> {
    let st = ensure(ws)?;
    heading("Building the backend");
    process::run(
        "building the backend",
        Command::new(cargo())
            .args(["build", "-p", "backend"])
            .current_dir(&ws.root),
    )?;
    let data = ws.root.join("target").join("schemathesis-data");
    if data.exists() {
        std::fs::remove_dir_all(&data)
            .map_err(Error::io(format!("removing {}", data.display())))?;
    }
    let port = free_port()?;
    let mut services = Services::default();
    heading("Starting the backend (fresh sandbox data)");
    services.start(
        "backend",
        Command::new(ws.root.join("target").join("debug").join("backend"))
            .env("PSP_DATA_DIR", &data)
            .env("PSP_LISTEN", format!("127.0.0.1:{port}"))
            .env("PSP_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .current_dir(&ws.root),
    )?;
    services.wait_until_ready("backend", port, "/health/ready")?;
    let key_file = data.join("merchant-key");
    let key = std::fs::read_to_string(&key_file)
        .map_err(Error::io(format!("reading {}", key_file.display())))?;
    heading(&format!("schemathesis {VERSION} against /v1/openapi.json"));
    process::run(
        "schemathesis",
        Command::new(&st)
            .arg("run")
            .arg(format!("http://127.0.0.1:{port}/v1/openapi.json"))
            .args(["-H", &format!("Authorization: Bearer {}", key.trim())])
            // A merchant may revoke its own key; the run would lock itself out.
            .args(["--exclude-operation-id", "revoke_api_key"])
            .args(["--checks", CHECKS])
            .args(["--max-examples", MAX_EXAMPLES])
            // Each run explores afresh; a failure prints the seed that repeats it.
            .args(["--generation-database", "none"])
            .arg("--no-color")
            // Its cache (`.schemathesis/`) goes under target/, out of the repository.
            .current_dir(ws.root.join("target")),
    )
}

/// `target/tools/schemathesis/bin/st` at [`VERSION`], installing it if needed.
fn ensure(ws: &Workspace) -> Result<PathBuf, Error> {
    let venv = ws.tools_dir().join("schemathesis");
    let st = venv.join("bin").join("st");
    if installed(&st) {
        println!("    ok: schemathesis {VERSION} in {}", venv.display());
        return Ok(st);
    }
    heading(&format!(
        "Installing schemathesis {VERSION} from PyPI into {}",
        venv.display()
    ));
    // Debian's python3 has the venv module but, without python3-venv, no ensurepip: a
    // virtual environment could not install pip into itself.
    let mut can_make_venvs = Command::new("python3");
    can_make_venvs.args(["-c", "import venv, ensurepip"]);
    if process::capture(&mut can_make_venvs).is_none() {
        tools::apt_install(&["python3", "python3-venv"])?;
    }
    if venv.exists() {
        std::fs::remove_dir_all(&venv)
            .map_err(Error::io(format!("removing {}", venv.display())))?;
    }
    process::run(
        "creating a Python virtual environment",
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
    )?;
    process::run(
        "installing schemathesis",
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("schemathesis=={VERSION}")),
    )?;
    if installed(&st) {
        Ok(st)
    } else {
        Err(Error::Other(format!(
            "after installing schemathesis {VERSION}, {} does not report that version",
            st.display()
        )))
    }
}

fn installed(st: &Path) -> bool {
    st.is_file()
        && process::capture(Command::new(st).arg("--version"))
            .is_some_and(|version| reports(&version, VERSION))
}

/// `st --version` prints `st, version 4.32.5`.
fn reports(output: &str, version: &str) -> bool {
    output.split_whitespace().any(|word| word == version)
}

fn free_port() -> Result<u16, Error> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(Error::io("finding a free port".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_version() {
        assert!(reports("st, version 4.32.5\n", "4.32.5"));
        assert!(!reports("st, version 4.32.50\n", "4.32.5"));
        assert!(!reports("", "4.32.5"));
    }
}
