//! `cargo xtask demo`: builds everything, then runs the backend, the Vipps simulator and the
//! demo shop together until one of them stops or the user presses Ctrl-C.
//!
//! The children stay in our process group, so the terminal's Ctrl-C reaches them too;
//! on every other way out, [`Services`]'s `Drop` stops them.

use std::net::{Ipv4Addr, TcpListener};
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::services::Services;
use crate::workspace::{Workspace, cargo};
use crate::{tools, widget};

/// The ports in `shared::sandbox`.
const BACKEND_PORT: u16 = 4000;
const SIMULATOR_PORT: u16 = 4001;
const SHOP_PORT: u16 = 4002;
/// `shared::sandbox::DASHBOARD_EMAIL`: the user a sandbox backend makes.
const DASHBOARD_EMAIL: &str = "demo@shop.example";

pub fn run(ws: &Workspace) -> Result<(), Error> {
    // Before the long build, so a demo that is already running is reported at once.
    ensure_ports_free()?;
    tools::ensure_build_tools(ws)?;
    tools::ensure_redoc(ws)?;
    widget::build(ws)?;
    heading("Building backend, simulator and demo shop (release)");
    process::run(
        "building the services",
        Command::new(cargo())
            .args(["build", "--release"])
            .args(["-p", "backend", "-p", "simulator", "-p", "demo-shop"])
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
            .env("DASHBOARD_DIR", ws.dashboard_dist())
            .env("API_DOCS_DIR", tools::api_docs_dir(ws))
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

    let rule = "=".repeat(64);
    println!("\n{rule}");
    println!("  Open http://localhost:{SHOP_PORT} and buy something.");
    println!("  The Vipps phone app is at http://localhost:{SIMULATOR_PORT}/app.");
    println!("  The API reference is at http://localhost:{BACKEND_PORT}/docs/api.");
    println!(
        "  The merchant dashboard is at http://localhost:{BACKEND_PORT}/dashboard/: {}, password {}.",
        DASHBOARD_EMAIL,
        dashboard_password(&data)
    );
    println!("  Ctrl-C stops everything.");
    println!("{rule}\n");
    services.watch()
}

/// The sandbox dashboard user's password, which the backend generated at its first start.
fn dashboard_password(data: &std::path::Path) -> String {
    std::fs::read_to_string(data.join("dashboard-password"))
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|_| "in data/dashboard-password".to_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_reported_by_number() -> Result<(), Box<dyn std::error::Error>> {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = taken.local_addr()?.port();
        let message = ensure_port_free("backend", port)
            .err()
            .map(|e| e.to_string());
        assert!(message.is_some_and(|m| m.contains(&format!("port {port} is already in use"))));
        drop(taken);
        assert!(ensure_port_free("backend", port).is_ok());
        Ok(())
    }
}
