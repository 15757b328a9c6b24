//! `cargo xtask dev`: front-end work in one command. The backend, the Vipps simulator and
//! the demo shop run as debug builds; trunk serves the widget (:8080) and the dashboard
//! (:8081) and rebuilds each on change, forwarding their API calls to the backend (each
//! `Trunk.toml` says which); the shop embeds the trunk-served widget. Ctrl-C stops all.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::services::Services;
use crate::tools;
use crate::workspace::{Workspace, cargo};

/// The services' ports: `shared::sandbox`'s three, and trunk's two.
const BACKEND_PORT: u16 = 4000;
const SIMULATOR_PORT: u16 = 4001;
const SHOP_PORT: u16 = 4002;
const WIDGET_PORT: u16 = 8080;
const DASHBOARD_PORT: u16 = 8081;
/// trunk's first debug build of an app, on a fresh checkout: up to ten minutes.
const FIRST_BUILD_TRIES: u32 = 3_000;

/// One process to run: its name, what to run and where it answers when ready.
#[derive(Debug)]
pub struct Service {
    pub name: &'static str,
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(&'static str, String)>,
    pub port: u16,
    pub ready_path: &'static str,
}

pub fn run(ws: &Workspace) -> Result<(), Error> {
    let plan = plan(ws)?;
    plan.iter()
        .try_for_each(|s| ensure_port_free(s.name, s.port))?;
    tools::ensure_build_tools(ws)?;
    heading("Building backend, simulator and demo shop (debug)");
    process::run(
        "building the services",
        Command::new(cargo())
            .args([
                "build",
                "-p",
                "backend",
                "-p",
                "simulator",
                "-p",
                "demo-shop",
            ])
            .current_dir(&ws.root),
    )?;
    let data = ws.data_dir();
    std::fs::create_dir_all(&data).map_err(Error::io(format!("creating {}", data.display())))?;
    let mut services = Services::default();
    for service in &plan {
        heading(&format!("Starting the {}", service.name));
        let mut command = Command::new(&service.program);
        command
            .args(&service.args)
            .envs(service.env.iter().map(|(k, v)| (k, v)))
            .current_dir(&ws.root);
        services.start(service.name, &mut command)?;
        let tries = if service.program.ends_with("trunk") {
            FIRST_BUILD_TRIES
        } else {
            FIRST_BUILD_TRIES / 10
        };
        services.wait_until_ready_within(service.name, service.port, service.ready_path, tries)?;
    }
    let rule = "=".repeat(64);
    println!("\n{rule}");
    println!("  The shop (embedding the trunk-served widget): http://localhost:{SHOP_PORT}");
    println!("  The widget alone: http://127.0.0.1:{WIDGET_PORT}/widget/?payment=…");
    println!("  The dashboard: http://127.0.0.1:{DASHBOARD_PORT}/dashboard/");
    println!("    (demo@shop.example, the password in data/dashboard-password)");
    println!("  The Vipps phone app: http://localhost:{SIMULATOR_PORT}/app");
    println!("  Edit frontend/ or dashboard/ and the page rebuilds; Ctrl-C stops everything.");
    println!("{rule}\n");
    services.watch()
}

/// What `dev` runs, in order: each is started once the one before answers.
pub fn plan(ws: &Workspace) -> Result<Vec<Service>, Error> {
    let debug = |name: &str| ws.root.join("target").join("debug").join(name);
    let trunk = ws
        .which("trunk")?
        .unwrap_or_else(|| crate::workspace::cargo_bin_dir().join("trunk"));
    let path = ws.path_env()?.to_string_lossy().into_owned();
    let data = ws.data_dir().display().to_string();
    let trunk_serve = |config: &Path, port: u16| -> Vec<String> {
        let port = port.to_string();
        let config = config.display().to_string();
        [
            "serve",
            "--offline",
            "--config",
            &config,
            "--address",
            "127.0.0.1",
            "--port",
            &port,
        ]
        .map(str::to_owned)
        .to_vec()
    };
    Ok(vec![
        Service {
            name: "backend",
            program: debug("backend"),
            args: Vec::new(),
            env: vec![
                ("PSP_DATA_DIR", data.clone()),
                ("WIDGET_DIR", ws.widget_dist().display().to_string()),
                ("DASHBOARD_DIR", ws.dashboard_dist().display().to_string()),
                (
                    "API_DOCS_DIR",
                    tools::api_docs_dir(ws).display().to_string(),
                ),
            ],
            port: BACKEND_PORT,
            ready_path: "/health",
        },
        Service {
            name: "simulator",
            program: debug("simulator"),
            args: Vec::new(),
            env: vec![(
                "PSP_PUBLIC_KEY_FILE",
                ws.data_dir().join("card-key.pub.der").display().to_string(),
            )],
            port: SIMULATOR_PORT,
            ready_path: "/health",
        },
        Service {
            name: "demo shop",
            program: debug("demo-shop"),
            args: Vec::new(),
            env: vec![
                (
                    "MERCHANT_API_KEY_FILE",
                    ws.data_dir().join("merchant-key").display().to_string(),
                ),
                (
                    "PSP_CHECKOUT_URL",
                    format!("http://127.0.0.1:{WIDGET_PORT}"),
                ),
            ],
            port: SHOP_PORT,
            ready_path: "/",
        },
        Service {
            name: "widget (trunk serve)",
            program: trunk.clone(),
            args: trunk_serve(Path::new("Trunk.toml"), WIDGET_PORT),
            env: vec![("PATH", path.clone())],
            port: WIDGET_PORT,
            ready_path: "/widget/",
        },
        Service {
            name: "dashboard (trunk serve)",
            program: trunk,
            args: trunk_serve(&Path::new("dashboard").join("Trunk.toml"), DASHBOARD_PORT),
            env: vec![("PATH", path)],
            port: DASHBOARD_PORT,
            ready_path: "/dashboard/",
        },
    ])
}

fn ensure_port_free(name: &str, port: u16) -> Result<(), Error> {
    match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(Error::Other(format!(
            "port {port} is already in use, so the {name} cannot start. Is a demo or another \
             `cargo xtask dev` running? Stop whatever listens there (`ss -ltnp 'sport = :{port}'`)."
        ))),
        Err(e) => Err(Error::io(format!("checking that port {port} is free"))(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(service: &'a Service, name: &str) -> Option<&'a str> {
        service
            .env
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    #[test]
    fn the_shop_embeds_the_widget_trunk_serves_and_each_app_has_its_own_port() -> Result<(), Error>
    {
        let ws = Workspace::locate()?;
        let plan = plan(&ws)?;
        let names: Vec<&str> = plan.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "backend",
                "simulator",
                "demo shop",
                "widget (trunk serve)",
                "dashboard (trunk serve)"
            ]
        );
        let shop = plan
            .iter()
            .find(|s| s.name == "demo shop")
            .ok_or_else(|| Error::Other("no shop".into()))?;
        assert_eq!(env(shop, "PSP_CHECKOUT_URL"), Some("http://127.0.0.1:8080"));
        let mut ports: Vec<u16> = plan.iter().map(|s| s.port).collect();
        ports.sort_unstable();
        ports.dedup();
        assert_eq!(ports.len(), plan.len(), "one port each");
        for trunk in plan.iter().filter(|s| s.name.contains("trunk")) {
            let port = trunk.port.to_string();
            assert!(
                trunk
                    .args
                    .windows(2)
                    .any(|w| w[0] == "--port" && w[1] == port)
            );
            assert!(trunk.args.iter().any(|a| a == "--offline"));
            let path = env(trunk, "PATH").unwrap_or_default();
            assert!(
                path.starts_with(&ws.node_bin().display().to_string()),
                "our wasm-opt first: {path}"
            );
        }
        let dashboard = plan
            .iter()
            .find(|s| s.name.starts_with("dashboard"))
            .ok_or_else(|| Error::Other("no dashboard".into()))?;
        assert!(
            dashboard
                .args
                .iter()
                .any(|a| a.ends_with("dashboard/Trunk.toml"))
        );
        Ok(())
    }
}
