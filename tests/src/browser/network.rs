//! A TCP relay in front of the backend that the test can unplug: while it is off, open
//! connections are cut and new ones are closed at once, so the widget's requests fail
//! exactly as they do when a shopper's connection drops.

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::TestResult;

pub struct Cable {
    url: String,
    plugged: watch::Sender<bool>,
}

impl Cable {
    /// Relays `http://127.0.0.1:<new port>` to `target` (`http://host:port`), plugged in.
    pub async fn to(target: &str) -> TestResult<Self> {
        let port = target
            .rsplit(':')
            .next()
            .and_then(|p| p.trim_end_matches('/').parse::<u16>().ok())
            .ok_or_else(|| format!("no port in {target}"))?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let own = listener.local_addr().map_err(|e| e.to_string())?.port();
        let (plugged, watching) = watch::channel(true);
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                if *watching.borrow() {
                    tokio::spawn(relay(inbound, port, watching.clone()));
                }
                // Unplugged: `inbound` is dropped here, closing the connection.
            }
        });
        Ok(Self {
            url: format!("http://127.0.0.1:{own}"),
            plugged,
        })
    }

    /// Where the browser should go instead of the backend.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn unplug(&self) {
        self.plugged.send_replace(false);
    }

    pub fn plug_in(&self) {
        self.plugged.send_replace(true);
    }
}

async fn relay(mut inbound: TcpStream, port: u16, mut plugged: watch::Receiver<bool>) {
    let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", port)).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
        _ = plugged.wait_for(|on| !on) => {}
    }
}
