//! Child services run together: started one by one, each waited for until it answers
//! HTTP, and all stopped when one stops or we return.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus};
use std::thread::sleep;
use std::time::Duration;

use crate::Error;
use crate::process;

const READY_TRIES: u32 = 150;
const READY_INTERVAL: Duration = Duration::from_millis(200);

/// The running children, stopped together.
#[derive(Default)]
pub struct Services {
    running: Vec<(&'static str, Child)>,
}

impl Services {
    pub fn start(&mut self, name: &'static str, command: &mut Command) -> Result<(), Error> {
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

    pub fn wait_until_ready(&mut self, name: &str, port: u16, path: &str) -> Result<(), Error> {
        self.wait_until_ready_within(name, port, path, READY_TRIES)
    }

    /// As [`Self::wait_until_ready`], trying `tries` times 200 ms apart (trunk serves only
    /// after its first build, which takes minutes on a fresh checkout).
    pub fn wait_until_ready_within(
        &mut self,
        name: &str,
        port: u16,
        path: &str,
        tries: u32,
    ) -> Result<(), Error> {
        for _ in 0..tries {
            if let Some((who, status)) = self.exited() {
                return Err(Error::Other(format!(
                    "the {who} exited ({status}) before the {name} was ready; see its output above"
                )));
            }
            if answers_ok(port, path) {
                println!("    {name} is up on http://127.0.0.1:{port}");
                return Ok(());
            }
            sleep(READY_INTERVAL);
        }
        let waited = READY_INTERVAL.saturating_mul(tries).as_secs();
        Err(Error::Other(format!(
            "the {name} did not answer GET http://127.0.0.1:{port}{path} with 200 within {waited} s"
        )))
    }

    /// Blocks until one service stops; the others are then stopped by `Drop`.
    pub fn watch(&mut self) -> Result<(), Error> {
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

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::time::Instant;

    use super::*;

    /// Answers every connection with `status_line` on a port of its own.
    fn serve(status_line: &'static str) -> Result<u16, std::io::Error> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = listener.local_addr()?.port();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut request = [0_u8; 256];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(format!("{status_line}\r\n\r\n").as_bytes());
            }
        });
        Ok(port)
    }

    #[test]
    fn only_a_200_counts_as_ready() -> Result<(), std::io::Error> {
        assert!(answers_ok(serve("HTTP/1.0 200 OK")?, "/health"));
        assert!(!answers_ok(
            serve("HTTP/1.1 503 Service Unavailable")?,
            "/health"
        ));
        let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
            .local_addr()?
            .port();
        assert!(!answers_ok(closed, "/health"));
        Ok(())
    }

    #[test]
    fn when_one_service_exits_the_others_are_stopped() -> Result<(), Error> {
        let mut services = Services::default();
        services.start("sleeper", Command::new("sleep").arg("30"))?;
        services.start("quitter", Command::new("sh").args(["-c", "exit 3"]))?;
        let message = services
            .watch()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("the quitter exited"), "{message}");
        let started = Instant::now();
        drop(services);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "SIGTERM should stop sleep at once"
        );
        Ok(())
    }
}
