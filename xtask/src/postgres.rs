//! A throwaway PostgreSQL cluster for the suites that run on both databases: `initdb` on a
//! fresh directory, `pg_ctl start` on a free loopback port, and, when dropped, stopped and
//! removed. PostgreSQL comes from Debian's packages (installed if missing). As root, the
//! server runs as the `postgres` user, since `initdb` refuses root.

use std::fs;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};

const INSTALL_ROOT: &str = "/usr/lib/postgresql";

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    port: u16,
}

impl Cluster {
    pub fn start() -> Result<Self, Error> {
        let bin = ensure_installed()?;
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("psp-postgres-{}-{port}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| Error::Other(format!("{}: {e}", dir.display())))?;
        let as_postgres = is_root();
        if as_postgres {
            process::run(
                "chown postgres",
                Command::new("chown").arg("postgres:postgres").arg(&dir),
            )?;
        }
        let cluster = Self {
            dir,
            bin,
            as_postgres,
            port,
        };
        heading(&format!("Starting PostgreSQL on 127.0.0.1:{port}"));
        let data = cluster.dir.join("data");
        process::run(
            "initdb",
            cluster
                .command("initdb")
                .args([
                    "--auth=trust",
                    "--username=postgres",
                    "--encoding=UTF8",
                    "-D",
                ])
                .arg(&data),
        )?;
        // A cluster for tests: no fsync (nothing here must survive the machine), and
        // room for the connections of many test backends at once.
        let server_options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c max_connections=300 -c fsync=off",
            cluster.dir.display()
        );
        process::run(
            "pg_ctl start",
            cluster
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-w", "-l"])
                .arg(cluster.dir.join("server.log"))
                .args(["-o", &server_options, "start"]),
        )?;
        Ok(cluster)
    }

    /// The server, without a database name: `…/{database}` is appended by whoever
    /// connects.
    pub fn server_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .status();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed server's `bin` directory, installing Debian's `postgresql` first if
/// there is none.
fn ensure_installed() -> Result<PathBuf, Error> {
    if let Some(bin) = newest_bin(Path::new(INSTALL_ROOT)) {
        return Ok(bin);
    }
    heading("Installing PostgreSQL (apt-get)");
    process::run("apt-get update", Command::new("apt-get").arg("update"))?;
    process::run(
        "installing postgresql",
        Command::new("apt-get")
            .args(["install", "-y", "postgresql"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    newest_bin(Path::new(INSTALL_ROOT)).ok_or_else(|| {
        Error::Other(format!(
            "apt-get finished, but no {INSTALL_ROOT}/<version>/bin/initdb is there"
        ))
    })
}

fn newest_bin(root: &Path) -> Option<PathBuf> {
    let versions = fs::read_dir(root).ok()?;
    versions
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
}

fn free_port() -> Result<u16, Error> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| Error::Other(format!("no free port: {e}")))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|e| Error::Other(format!("no free port: {e}")))
}

fn is_root() -> bool {
    process::capture(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}
