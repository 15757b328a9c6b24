//! `cargo xtask demo`: builds everything, then runs the backend, the Vipps simulator and the
//! demo shop together until one of them stops or the user presses Ctrl-C.
//!
//! The children stay in our process group, so the terminal's Ctrl-C reaches them too;
//! on every other way out, [`Services`]'s `Drop` stops them.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus};
use std::thread::sleep;
use std::time::Duration;

use crate::Error;
use crate::process::{self, heading};
use crate::workspace::{Workspace, cargo};
use crate::{tools, widget};

/// The ports in `shared::sandbox`.
const BACKEND_PORT: u16 = 4000;
const SIMULATOR_PORT: u16 = 4001;
const SHOP_PORT: u16 = 4002;

const HEALTH_TRIES: u32 = 150;
const HEALTH_INTERVAL: Duration = Duration::from_millis(200);

pub fn run(ws: &Workspace) -> Result<(), Error> {
    // Before the long build, so a demo that is already running is reported at once.
    ensure_ports_free()?;
    tools::ensure_build_tools(ws)?;
    widget::build(ws)?;
    heading("Building backend, simulator and demo shop (release)");
    process::run(
        "building the services",
        Command::new(cargo())
            .args([
                "build",
                "--release",
                "-p",
                "backend",
                "-p",
                "simulator",
                "-p",
                "demo-shop",
            ])
            .current_dir(&ws.root),
    )?;
    ensure_ports_free()?;
    let data = ws.data_dir();
    std::fs::create_dir_all(&data).map_err(Error::io(format!("creating {}", data.display())))?;

    let mut services = Services::default();
    heading("Starting the backend");
    services.start(
        "backend",
        Command::new(ws.release_bin("backend"))
            .env("PSP_DATA_DIR", &data)
            .env("WIDGET_DIR", ws.widget_dist())
            .current_dir(&ws.root),
    )?;
    services.wait_until_ready("backend", BACKEND_PORT, "/health")?;
    heading("Starting the Vipps simulator");
    services.start(
        "simulator",
        Command::new(ws.release_bin("simulator"))
            .env("PSP_PUBLIC_KEY_FILE", data.join("card-key.pub.der"))
            .current_dir(&ws.root),
    )?;
    services.wait_until_ready("simulator", SIMULATOR_PORT, "/health")?;
    heading("Starting the demo shop");
    services.start(
        "demo shop",
        Command::new(ws.release_bin("demo-shop"))
            .env("MERCHANT_API_KEY_FILE", data.join("merchant-key"))
            .current_dir(&ws.root),
    )?;
    services.wait_until_ready("demo shop", SHOP_PORT, "/")?;

    println!(
        "\n================================================================\n\
         \x20 Open http://localhost:{SHOP_PORT} and buy something.\n\
         \x20 The Vipps phone app is at http://localhost:{SIMULATOR_PORT}/app.\n\
         \x20 Ctrl-C stops everything.\n\
         ================================================================\n"
    );
    services.watch()
}

fn ensure_ports_free() -> Result<(), Error> {
    let services = [
        ("backend", BACKEND_PORT),
        ("simulator", SIMULATOR_PORT),
        ("demo shop", SHOP_PORT),
    ];
    services
        .into_iter()
        .try_for_each(|(name, port)| ensure_port_free(name, port))
}

fn ensure_port_free(name: &str, port: u16) -> Result<(), Error> {
    match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(Error::Other(format!(
            "port {port} is already in use, so the {name} cannot start. Is a demo already \
             running? Stop whatever listens there (`ss -ltnp 'sport = :{port}'`) and try again."
        ))),
        Err(e) => Err(Error::io(format!("checking that port {port} is free"))(e)),
    }
}

/// The running children, stopped together.
#[derive(Default)]
struct Services {
    running: Vec<(&'static str, Child)>,
}

impl Services {
    fn start(&mut self, name: &'static str, command: &mut Command) -> Result<(), Error> {
        println!("    $ {}", process::display(command));
        let child = command.spawn().map_err(|source| Error::Spawn {
            program: command.get_program().to_string_lossy().into_owned(),
            source,
        })?;
        self.running.push((name, child));
        Ok(())
    }

    /// The first service that has stopped, with how it ended.
    fn exited(&mut self) -> Option<(&'static str, ExitStatus)> {
        self.running
            .iter_mut()
            .find_map(|(name, child)| match child.try_wait() {
                Ok(Some(status)) => Some((*name, status)),
                Ok(None) | Err(_) => None,
            })
    }

    fn wait_until_ready(&mut self, name: &str, port: u16, path: &str) -> Result<(), Error> {
        for _ in 0..HEALTH_TRIES {
            if let Some((who, status)) = self.exited() {
                return Err(Error::Other(format!(
                    "the {who} exited ({status}) before the {name} was ready; see its output above"
                )));
            }
            if answers_ok(port, path) {
                println!("    {name} is up on http://127.0.0.1:{port}");
                return Ok(());
            }
            sleep(HEALTH_INTERVAL);
        }
        let waited = HEALTH_INTERVAL.saturating_mul(HEALTH_TRIES).as_secs();
        Err(Error::Other(format!(
            "the {name} did not answer GET http://127.0.0.1:{port}{path} with 200 within {waited} s"
        )))
    }

    /// Blocks until one service stops; the others are then stopped by `Drop`.
    fn watch(&mut self) -> Result<(), Error> {
        loop {
            if let Some((name, status)) = self.exited() {
                return Err(Error::Other(format!(
                    "the {name} exited ({status}); stopped the others"
                )));
            }
            sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        for (name, child) in self.running.iter_mut().rev() {
            if matches!(child.try_wait(), Ok(None)) {
                println!("    stopping the {name}");
                stop(child);
            }
        }
    }
}

/// SIGTERM (so the service can shut down cleanly), then SIGKILL after three seconds.
fn stop(child: &mut Child) {
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    if term.is_ok_and(|status| status.success()) {
        for _ in 0..30 {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            sleep(Duration::from_millis(100));
        }
    }
    // Already gone is fine: there is nothing left to stop.
    let _ = child.kill();
    let _ = child.wait();
}

/// Whether `GET http://127.0.0.1:{port}{path}` answers 200 (HTTP/1.0, no dependencies).
fn answers_ok(port: u16, path: &str) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else {
        return false;
    };
    let timeout = Some(Duration::from_secs(2));
    if stream.set_read_timeout(timeout).is_err() || stream.set_write_timeout(timeout).is_err() {
        return false;
    }
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    // "HTTP/1.1 200" is exactly twelve bytes.
    let mut status_line = [0_u8; 12];
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_exact(&mut status_line).is_ok()
        && status_line.starts_with(b"HTTP/1.")
        && status_line.ends_with(b" 200")
}
