//! The data directory at rest: the keys and the database are readable by the backend's
//! user alone, from the moment they exist.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use backend::{Application, Config};
use e2e::TestResult;
use tokio::net::TcpListener;

/// The files holding secrets or payments (the test acquirer's ledger among them);
/// `card-key.pub.der` is public and not among them.
const PRIVATE_FILES: [&str; 9] = [
    "card-key.p8",
    "merchant-key",
    "server-key",
    "psp.sqlite",
    "psp.sqlite-wal",
    "psp.sqlite-shm",
    "test-acquirer.sqlite",
    "test-acquirer.sqlite-wal",
    "test-acquirer.sqlite-shm",
];

fn mode(path: &Path) -> TestResult<u32> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(metadata.permissions().mode() & 0o777)
}

async fn build(dir: &Path) -> TestResult<Application> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    Application::build(Config::sandbox(dir.to_path_buf()), listener)
        .await
        .map_err(|e| e.to_string())
}

fn assert_private(dir: &Path) -> TestResult {
    assert_eq!(mode(dir)?, 0o700, "the data directory");
    for name in PRIVATE_FILES {
        assert_eq!(mode(&dir.join(name))?, 0o600, "{name}");
    }
    Ok(())
}

#[tokio::test]
async fn a_new_data_directory_and_every_secret_file_in_it_are_private_to_the_owner() -> TestResult {
    let parent = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = parent.path().join("data");
    let _app = build(&dir).await?;
    assert_private(&dir)
}

#[tokio::test]
async fn an_existing_data_directory_open_to_others_is_closed_at_startup() -> TestResult {
    let parent = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = parent.path().join("data");
    let open = std::fs::Permissions::from_mode(0o755);
    std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
    std::fs::set_permissions(&dir, open.clone()).map_err(|e| e.to_string())?;
    // Files left readable by an older version, while it still runs.
    let _older = build(&dir).await?;
    let readable = std::fs::Permissions::from_mode(0o644);
    for name in PRIVATE_FILES {
        std::fs::set_permissions(dir.join(name), readable.clone()).map_err(|e| e.to_string())?;
    }
    std::fs::set_permissions(&dir, open).map_err(|e| e.to_string())?;

    let _app = build(&dir).await?;
    assert_private(&dir)
}
