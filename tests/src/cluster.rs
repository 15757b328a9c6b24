//! Backend instances as real processes on one database and one data directory, behind a
//! round-robin proxy (the load balancer): killed with SIGKILL and started again by the
//! chaos run, pinned to a core and measured by the backend benchmark.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::TestResult;
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

/// How long an instance may take to answer `/health` after it is started.
const READY_WITHIN: Duration = Duration::from_secs(60);

struct Instance {
    port: u16,
    child: Option<Child>,
}

pub struct Cluster {
    binary: PathBuf,
    env: Vec<(String, String)>,
    logs: PathBuf,
    instances: Vec<Instance>,
    http: reqwest::Client,
    /// The CPUs the instances may run on (`taskset -c`), if limited.
    cpus: Option<String>,
    pub kills: usize,
}

/// The keys every instance of a deployment shares, made in the data directory `dir`.
pub struct Keys {
    /// The public half of the card key (DER), which Vipps encrypts card data to.
    pub card_public_der: Vec<u8>,
    /// The sandbox merchant's API key.
    pub merchant_key: String,
}

impl Keys {
    pub fn create(dir: &Path) -> TestResult<Self> {
        use aws_lc_rs::encoding::AsDer;
        use secrecy::ExposeSecret;
        let text = |e: &dyn std::fmt::Display| e.to_string();
        backend::data_dir::create_private_dir(dir).map_err(|e| text(&e))?;
        let card_key = backend::keys::load_or_create_card_key(dir).map_err(|e| text(&e))?;
        let card_public_der = card_key
            .public_key()
            .as_der()
            .map_err(|e| text(&e))?
            .as_ref()
            .to_vec();
        backend::keys::load_or_create_server_key(dir, None).map_err(|e| text(&e))?;
        backend::keys::load_or_create_operator_key(dir, None).map_err(|e| text(&e))?;
        let merchant_key =
            backend::keys::load_or_create_merchant_key(dir, None).map_err(|e| text(&e))?;
        Ok(Self {
            card_public_der,
            merchant_key: merchant_key.expose_secret().to_owned(),
        })
    }
}

/// A port nobody listens on now (bound and released).
pub async fn free_port() -> TestResult<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

impl Cluster {
    /// An instance of `binary` with `env` on each of `ports`, started one after the other
    /// (the first migrates the database); their output goes to `logs/instance-N.log`.
    pub async fn start(
        binary: &Path,
        env: Vec<(String, String)>,
        ports: Vec<u16>,
        logs: &Path,
    ) -> TestResult<Self> {
        Self::start_on(None, binary, env, ports, logs).await
    }

    /// As [`Self::start`], each instance limited to `cpus` (a `taskset -c` list) if given.
    pub async fn start_on(
        cpus: Option<&str>,
        binary: &Path,
        env: Vec<(String, String)>,
        ports: Vec<u16>,
        logs: &Path,
    ) -> TestResult<Self> {
        let count = ports.len();
        let instances = ports
            .into_iter()
            .map(|port| Instance { port, child: None })
            .collect();
        let mut cluster = Self {
            binary: binary.to_path_buf(),
            env,
            logs: logs.to_path_buf(),
            instances,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(2))
                .build()
                .map_err(|e| e.to_string())?,
            cpus: cpus.map(str::to_owned),
            kills: 0,
        };
        for index in 0..count {
            cluster.spawn(index).await?;
        }
        Ok(cluster)
    }

    /// Starts instance `index` and waits until it answers `/health`.
    async fn spawn(&mut self, index: usize) -> TestResult {
        let log_path = self.logs.join(format!("instance-{index}.log"));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| format!("{}: {e}", log_path.display()))?;
        let err_log = log.try_clone().map_err(|e| e.to_string())?;
        let instance = self.instances.get_mut(index).ok_or("no such instance")?;
        let mut command = match &self.cpus {
            // taskset runs the binary in its own place: the child is the backend itself.
            Some(cpus) => {
                let mut command = Command::new("taskset");
                command.args(["-c", cpus]).arg(&self.binary);
                command
            }
            None => Command::new(&self.binary),
        };
        let child = command
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("PSP_LISTEN", format!("127.0.0.1:{}", instance.port))
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(err_log))
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        instance.child = Some(child);
        let port = instance.port;
        let deadline = tokio::time::Instant::now() + READY_WITHIN;
        loop {
            let health = self
                .http
                .get(format!("http://127.0.0.1:{port}/health"))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            let exited = match self.instances.get_mut(index).and_then(|i| i.child.as_mut()) {
                Some(child) => child.try_wait().map_err(|e| e.to_string())?,
                None => None,
            };
            if let Some(status) = exited {
                return Err(format!(
                    "instance {index} exited ({status}) while starting; see {}",
                    log_path.display()
                ));
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("instance {index} did not answer /health in time"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The running instances' process ids.
    pub fn pids(&self) -> Vec<u32> {
        self.instances
            .iter()
            .filter_map(|i| i.child.as_ref().and_then(Child::id))
            .collect()
    }

    /// SIGKILL: nothing is flushed, no request is finished.
    pub async fn kill(&mut self, index: usize) -> TestResult {
        let instance = self.instances.get_mut(index).ok_or("no such instance")?;
        if let Some(mut child) = instance.child.take() {
            child.kill().await.map_err(|e| e.to_string())?;
            self.kills += 1;
        }
        Ok(())
    }

    /// Starts a killed instance again on its port.
    pub async fn restart(&mut self, index: usize) -> TestResult {
        self.spawn(index).await
    }

    /// Starts every instance that is down.
    pub async fn restart_all(&mut self) -> TestResult {
        for index in 0..self.instances.len() {
            let down = self.instances.get(index).is_some_and(|i| i.child.is_none());
            if down {
                self.spawn(index).await?;
            }
        }
        Ok(())
    }

    /// Stops every instance (SIGKILL; the run is over).
    pub async fn stop(&mut self) {
        for instance in &mut self.instances {
            if let Some(mut child) = instance.child.take() {
                let _ = child.kill().await;
            }
        }
    }
}

/// A TCP proxy on a port of its own that hands each connection to the next instance in
/// turn, skipping one that refuses; a connection no instance takes is closed unanswered,
/// as a load balancer with no healthy backend would.
pub async fn proxy(ports: Vec<u16>) -> TestResult<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let next = Arc::new(AtomicUsize::new(0));
    let ports = Arc::new(ports);
    tokio::spawn(async move {
        while let Ok((mut downstream, _)) = listener.accept().await {
            let (next, ports) = (Arc::clone(&next), Arc::clone(&ports));
            tokio::spawn(async move {
                let first = next.fetch_add(1, Ordering::Relaxed);
                for k in 0..ports.len() {
                    let Some(port) = ports.get((first + k) % ports.len()) else {
                        return;
                    };
                    if let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", *port)).await {
                        let _ = tokio::io::copy_bidirectional(&mut downstream, &mut upstream).await;
                        return;
                    }
                }
            });
        }
    });
    Ok(port)
}
