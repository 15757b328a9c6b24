//! A throwaway PostgreSQL cluster for the suites that run on both databases: `initdb` on a
//! new directory, `pg_ctl start` on a free loopback port, and, when dropped, stopped and
//! removed (a cluster left by an xtask that was killed is removed by the next one).
//! PostgreSQL comes from Debian's packages (installed if missing). As root, the server runs
//! as the `postgres` user, since `initdb` refuses root. It takes a password (random, per
//! cluster), not trust: other users of the machine cannot log in to it.

use std::fs;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::tools;

const INSTALL_ROOT: &str = "/usr/lib/postgresql";

const DIR_PREFIX: &str = "psp-postgres-";

/// How the server runs.
pub struct Settings {
    /// Commits reach the disk (`fsync` on), as in production; the test suites' clusters
    /// skip that, since nothing there must survive the machine.
    pub durable: bool,
    /// The CPUs the server may run on (a `taskset -c` list), if limited.
    pub cpus: Option<String>,
}

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    port: u16,
    password: String,
}

impl Cluster {
    /// A cluster for the test suites: no `fsync`, any CPU.
    pub fn start() -> Result<Self, Error> {
        Self::start_with(&Settings {
            durable: false,
            cpus: None,
        })
    }

    pub fn start_with(settings: &Settings) -> Result<Self, Error> {
        let bin = ensure_installed()?;
        let as_postgres = is_root();
        remove_abandoned(&bin, as_postgres);
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("{DIR_PREFIX}{}-{port}", std::process::id()));
        let io = |e: std::io::Error| Error::Other(format!("{}: {e}", dir.display()));
        // A new directory (create_dir fails on anything already there, a link included),
        // closed to others.
        fs::create_dir(&dir).map_err(io)?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(io)?;
        let password = random_hex()?;
        let password_file = dir.join("password");
        fs::write(&password_file, &password).map_err(io)?;
        if as_postgres {
            process::run(
                "chown postgres",
                Command::new("chown")
                    .arg("-R")
                    .arg("postgres:postgres")
                    .arg(&dir),
            )?;
        }
        let cluster = Self {
            dir,
            bin,
            as_postgres,
            port,
            password,
        };
        heading(&format!("Starting PostgreSQL on 127.0.0.1:{port}"));
        let data = cluster.dir.join("data");
        process::run(
            "initdb",
            cluster
                .command("initdb")
                .args([
                    "--auth=scram-sha-256",
                    "--username=postgres",
                    "--encoding=UTF8",
                ])
                .arg(format!("--pwfile={}", password_file.display()))
                .arg("-D")
                .arg(&data),
        )?;
        let _ = fs::remove_file(&password_file);
        // Room for the connections of many test backends at once.
        let mut server_options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c max_connections=300",
            cluster.dir.display()
        );
        if !settings.durable {
            server_options.push_str(" -c fsync=off");
        }
        // The server's processes inherit the CPUs pg_ctl is started on.
        let mut pg_ctl = match &settings.cpus {
            Some(cpus) => {
                let mut pinned = Command::new("taskset");
                let inner = cluster.command("pg_ctl");
                pinned
                    .args(["-c", cpus])
                    .arg(inner.get_program())
                    .args(inner.get_args());
                pinned
            }
            None => cluster.command("pg_ctl"),
        };
        process::run(
            "pg_ctl start",
            pg_ctl
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
        format!(
            "postgres://postgres:{}@127.0.0.1:{}",
            self.password, self.port
        )
    }

    fn command(&self, program: &str) -> Command {
        command(&self.bin, self.as_postgres, program)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        stop_and_remove(&self.bin, self.as_postgres, &self.dir);
    }
}

fn stop_and_remove(bin: &Path, as_postgres: bool, dir: &Path) {
    let data = dir.join("data");
    if data.join("postmaster.pid").exists() {
        let _ = command(bin, as_postgres, "pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "stop"])
            .status();
    }
    let _ = fs::remove_dir_all(dir);
}

/// Clusters of xtask runs that no longer run (killed before they could clean up).
fn remove_abandoned(bin: &Path, as_postgres: bool) {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
            continue;
        };
        let owner = rest.split('-').next().unwrap_or_default();
        let alive = !owner.is_empty() && Path::new("/proc").join(owner).exists();
        if !alive {
            println!(
                "    removing an abandoned cluster: {}",
                entry.path().display()
            );
            stop_and_remove(bin, as_postgres, &entry.path());
        }
    }
}

/// 32 hex digits from the kernel's random source.
fn random_hex() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .map_err(|e| Error::Other(format!("/dev/urandom: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn command(bin: &Path, as_postgres: bool, program: &str) -> Command {
    let path = bin.join(program);
    if as_postgres {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(path);
        command
    } else {
        Command::new(path)
    }
}

/// The newest installed server's `bin` directory, installing Debian's `postgresql` first if
/// there is none.
fn ensure_installed() -> Result<PathBuf, Error> {
    if let Some(bin) = newest_bin(Path::new(INSTALL_ROOT)) {
        return Ok(bin);
    }
    heading("Installing PostgreSQL (apt-get)");
    tools::apt_install(&["postgresql"])?;
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
