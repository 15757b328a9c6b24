//! Where things are: the workspace root, the tools directory and the PATH children get.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::Error;

pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    /// The workspace root: the parent of this crate's directory.
    pub fn locate() -> Result<Self, Error> {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest_dir
            .parent()
            .map(|root| Self {
                root: root.to_owned(),
            })
            .ok_or_else(|| Error::Other(format!("{} has no parent", manifest_dir.display())))
    }

    /// Tools we install locally (wasm-opt from npm), kept out of the system.
    pub fn tools_dir(&self) -> PathBuf {
        self.root.join("target").join("tools")
    }

    pub fn node_bin(&self) -> PathBuf {
        self.tools_dir().join("node_modules").join(".bin")
    }

    pub fn widget_dist(&self) -> PathBuf {
        self.root.join("frontend").join("dist")
    }

    pub fn dashboard_dist(&self) -> PathBuf {
        self.root.join("dashboard").join("dist")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub fn release_bin(&self, name: &str) -> PathBuf {
        self.root.join("target").join("release").join(name)
    }

    /// PATH for tools and trunk: our npm tools first (so an old system wasm-opt is never
    /// used), then cargo's bin directory (where `cargo install` puts trunk and wasm-bindgen),
    /// then the inherited PATH.
    pub fn path_env(&self) -> Result<OsString, Error> {
        let inherited = env::var_os("PATH").unwrap_or_default();
        let first = [self.node_bin(), cargo_bin_dir()];
        env::join_paths(first.into_iter().chain(env::split_paths(&inherited)))
            .map_err(|e| Error::Other(format!("cannot build PATH: {e}")))
    }

    /// The first executable called `name` on [`Workspace::path_env`].
    pub fn which(&self, name: &str) -> Result<Option<PathBuf>, Error> {
        Ok(find_on_path(name, &self.path_env()?))
    }
}

/// `$CARGO_HOME/bin`, by default `~/.cargo/bin`.
pub fn cargo_bin_dir() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// The first executable file called `name` in the directories of `path`.
pub fn find_on_path(name: &str, path: &OsString) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    env::split_paths(path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The `cargo` that runs us, so children use the same toolchain.
pub fn cargo() -> OsString {
    env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}
