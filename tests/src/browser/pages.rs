//! A tiny web server on 127.0.0.1, port 0, for pages the tests write themselves: a
//! merchant page that embeds the widget (reloadable, unlike the demo shop's POST-rendered
//! checkout), and the static pages the benchmark compares against. It also keeps what is
//! POSTed to it (the browser's Content Security Policy reports, see [`PageServer::posted`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::TestResult;

/// A body and its content type.
#[derive(Debug, Clone)]
struct Page {
    content_type: &'static str,
    body: Vec<u8>,
}

type Pages = Arc<Mutex<HashMap<String, Page>>>;
/// Bodies POSTed, by path, in the order they arrived.
type Posts = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// Serves what was `add`ed, by exact path; everything else is 404. Stops with the test's runtime.
#[derive(Debug, Clone)]
pub struct PageServer {
    port: u16,
    origin: String,
    pages: Pages,
    posts: Posts,
}

impl PageServer {
    pub async fn start() -> TestResult<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let pages = Pages::default();
        let posts = Posts::default();
        let (served, kept) = (Arc::clone(&pages), Arc::clone(&posts));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&served), Arc::clone(&kept)));
            }
        });
        Ok(Self {
            port,
            origin: format!("http://127.0.0.1:{port}"),
            pages,
            posts,
        })
    }

    /// `http://127.0.0.1:<port>`: what a backend must allow to frame the widget.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The port, for addressing the server by another name (`localhost`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves `body` at `path` (which starts with `/`) from now on; returns its URL.
    pub fn add(
        &self,
        path: &str,
        content_type: &'static str,
        body: impl Into<Vec<u8>>,
    ) -> TestResult<String> {
        let page = Page {
            content_type,
            body: body.into(),
        };
        self.pages
            .lock()
            .map_err(|_| "the page table is poisoned")?
            .insert(path.to_owned(), page);
        Ok(format!("{}{path}", self.origin))
    }

    /// The bodies POSTed to `path` so far, oldest first (answered `204 No Content`).
    pub fn posted(&self, path: &str) -> TestResult<Vec<Vec<u8>>> {
        let posts = self.posts.lock().map_err(|_| "the post list is poisoned")?;
        Ok(posts
            .iter()
            .filter(|(at, _)| at == path)
            .map(|(_, body)| body.clone())
            .collect())
    }

    /// An HTML page at `path`; returns its URL.
    pub fn add_html(&self, path: &str, html: &str) -> TestResult<String> {
        self.add(path, "text/html; charset=utf-8", html)
    }
}

/// One request per connection: enough for a browser, which simply opens more.
async fn serve(mut stream: TcpStream, pages: Pages, posts: Posts) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if request.len() >= 64 * 1024 {
            return;
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(buf.get(..n).unwrap_or_default()),
        }
    };
    let head = String::from_utf8_lossy(request.get(..head_end).unwrap_or_default()).into_owned();
    let mut request_line = head.lines().next().unwrap_or_default().split_whitespace();
    let method = request_line.next().unwrap_or_default().to_owned();
    let path = request_line
        .next()
        .map(|target| target.split('?').next().unwrap_or(target).to_owned())
        .unwrap_or_default();
    if method == "POST" {
        let length = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse::<usize>().ok())
            .unwrap_or(0)
            .min(64 * 1024);
        let mut body = request.get(head_end..).unwrap_or_default().to_vec();
        while body.len() < length {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => body.extend_from_slice(buf.get(..n).unwrap_or_default()),
            }
        }
        if let Ok(mut posts) = posts.lock() {
            posts.push((path, body));
        }
        let answer = "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";
        _ = stream.write_all(answer.as_bytes()).await;
        _ = stream.shutdown().await;
        return;
    }
    let page = pages
        .lock()
        .ok()
        .and_then(|pages| pages.get(&path).cloned());
    let (status, page) = match page {
        Some(page) => ("200 OK", page),
        None => (
            "404 Not Found",
            Page {
                content_type: "text/plain",
                body: b"not found".to_vec(),
            },
        ),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {}\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nconnection: close\r\n\r\n",
        page.content_type,
        page.body.len()
    );
    if stream.write_all(header.as_bytes()).await.is_ok() {
        _ = stream.write_all(&page.body).await;
    }
    _ = stream.shutdown().await;
}
