//! What the shopper downloads for the first render, and how big it is raw, with gzip
//! (level 9) and with brotli (quality 11), compressed by node's zlib.

use std::process::Command;

use e2e::TestResult;
use e2e::browser::Browser;
use serde::Deserialize;
use serde_json::Value;

/// One downloaded file.
#[derive(Debug, Clone)]
pub struct File {
    /// The path without the query, e.g. `/widget/style-….css`.
    pub path: String,
    pub body: Vec<u8>,
    pub sizes: Sizes,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// The URLs of the current frame's document and its resources (no API calls).
const FRAME_FILES: &str = "return [performance.getEntriesByType('navigation')[0].name]
  .concat(performance.getEntriesByType('resource').map(e => e.name))
  .filter(u => !new URL(u).pathname.startsWith('/api/'));";

/// The resources of the top-level page that come from `origin` (the loader).
const PAGE_FILES: &str = "return performance.getEntriesByType('resource').map(e => e.name)
  .filter(u => new URL(u).origin === arguments[0]);";

const COMPRESS: &str = "const zlib = require('zlib'), fs = require('fs');
console.log(JSON.stringify(process.argv.slice(1).map(f => {
  const b = fs.readFileSync(f);
  return {raw: b.length, gzip: zlib.gzipSync(b, {level: 9}).length,
    brotli: zlib.brotliCompressSync(b, {params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length}}).length};
})));";

/// Lists the files of the first render: the loader from the merchant page, then the
/// widget's document and everything it loaded. The browser must be in the widget's frame.
pub async fn discover(browser: &Browser, backend_origin: &str) -> TestResult<Vec<String>> {
    let c = &browser.client;
    let frame = c.execute(FRAME_FILES, vec![]).await.map_err(err)?;
    c.enter_parent_frame().await.map_err(err)?;
    let page = c
        .execute(PAGE_FILES, vec![Value::from(backend_origin)])
        .await
        .map_err(err)?;
    let mut urls: Vec<String> = Vec::new();
    for url in strings(&page).into_iter().chain(strings(&frame)) {
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    Ok(urls)
}

/// Downloads each URL as the browser would (no compression asked) and measures it.
pub async fn measure(http: &reqwest::Client, urls: &[String]) -> TestResult<Vec<File>> {
    let dir = tempfile::tempdir().map_err(err)?;
    let mut files = Vec::new();
    let mut paths = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        let response = http.get(url).send().await.map_err(err)?;
        if !response.status().is_success() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let body = response.bytes().await.map_err(err)?.to_vec();
        let temp = dir.path().join(i.to_string());
        std::fs::write(&temp, &body).map_err(err)?;
        paths.push(temp);
        let path = reqwest::Url::parse(url).map_err(err)?.path().to_owned();
        files.push(File {
            path,
            body,
            sizes: Sizes::default(),
        });
    }
    let output = Command::new("node")
        .arg("-e")
        .arg(COMPRESS)
        .args(&paths)
        .output()
        .map_err(|e| format!("running node (needed for gzip and brotli sizes): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "node failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let sizes: Vec<Sizes> = serde_json::from_slice(&output.stdout).map_err(err)?;
    for (file, sizes) in files.iter_mut().zip(sizes) {
        file.sizes = sizes;
    }
    Ok(files)
}

pub fn total(files: &[File]) -> Sizes {
    files.iter().fold(Sizes::default(), |sum, f| Sizes {
        raw: sum.raw.saturating_add(f.sizes.raw),
        gzip: sum.gzip.saturating_add(f.sizes.gzip),
        brotli: sum.brotli.saturating_add(f.sizes.brotli),
    })
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}
