//! The data directory and the private files in it. The directory is 0700; every file
//! holding a secret or payments is 0600 from its first byte: a secret is written under a
//! temporary name created 0600 and renamed into place, so a crash never leaves a readable
//! or half-written key. What an older version left open is closed at startup, and logged.
//! (`unsafe_code` is forbidden, so no umask: each file gets its mode where it is created.)

use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[error("cannot create or protect {path}: {source}")]
pub struct PrivateFileError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

fn failed(path: &Path) -> impl FnOnce(std::io::Error) -> PrivateFileError + '_ {
    move |source| PrivateFileError {
        path: path.display().to_string(),
        source,
    }
}

/// Creates `dir` (and missing parents) as 0700, or closes an existing one to others.
pub fn create_private_dir(dir: &Path) -> Result<(), PrivateFileError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(failed(dir))?;
    restrict(dir, 0o700)
}

/// Writes `bytes` to `path` atomically, readable and writable by the owner alone.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), PrivateFileError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{}.tmp", name.unwrap_or_default()));
    // Left behind by a crash, it was never renamed into place: nothing to keep.
    if let Err(e) = std::fs::remove_file(&temporary)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        return Err(failed(&temporary)(e));
    }
    let written = open_private(&temporary, true).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed(path)(e));
    }
    // The rename is durable once the directory is synced (where directories can be opened).
    if let Some(dir) = path.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// `configured`, else the SQLite file in `dir`: created 0600 before SQLite opens it, and
/// its -wal and -shm files take the same mode.
pub fn database_url(dir: &Path, configured: Option<&str>) -> Result<String, PrivateFileError> {
    if let Some(url) = configured {
        return Ok(url.to_owned());
    }
    let path = dir.join("psp.sqlite");
    create_private_file(&path)?;
    for journal in ["psp.sqlite-wal", "psp.sqlite-shm"] {
        restrict_file(&dir.join(journal))?;
    }
    Ok(format!("sqlite://{}", path.display()))
}

/// Creates `path` empty and 0600 if it is missing (a database file, before SQLite opens
/// it: SQLite gives its `-wal` and `-shm` files the database file's mode), else closes it
/// to others. The contents are left as they are.
pub fn create_private_file(path: &Path) -> Result<(), PrivateFileError> {
    open_private(path, false).map_err(failed(path))?;
    restrict(path, 0o600)
}

/// Closes an existing private file to others (a key written by an older version); a
/// missing one is left missing.
pub fn restrict_file(path: &Path) -> Result<(), PrivateFileError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(failed(path)(e)),
        Ok(_) => restrict(path, 0o600),
    }
}

fn open_private(path: &Path, new: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if new {
        options.create_new(true);
    } else {
        options.create(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Takes away every permission of group and others from `path`, saying so when it did.
fn restrict(path: &Path, mode: u32) -> Result<(), PrivateFileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = std::fs::metadata(path)
            .map_err(failed(path))?
            .permissions()
            .mode()
            & 0o777;
        if current & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(failed(path))?;
            tracing::warn!(
                path = %path.display(),
                was = format!("{current:o}"),
                now = format!("{mode:o}"),
                "closed a private file or directory to group and others"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> Result<u32, String> {
        let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
        Ok(metadata.permissions().mode() & 0o777)
    }

    #[test]
    fn a_private_file_replaces_the_old_one_whole_and_leaves_no_temporary_file() -> Result<(), String>
    {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("merchant-key");
        std::fs::write(dir.path().join(".merchant-key.tmp"), b"half a k")
            .map_err(|e| e.to_string())?;
        std::fs::write(&path, b"old").map_err(|e| e.to_string())?;
        write_private(&path, b"new key").map_err(|e| e.to_string())?;
        assert_eq!(std::fs::read(&path).map_err(|e| e.to_string())?, b"new key");
        assert_eq!(mode(&path)?, 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names, ["merchant-key"], "no temporary file is left");
        Ok(())
    }

    #[test]
    fn an_existing_database_file_keeps_its_contents_and_loses_its_open_mode() -> Result<(), String>
    {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("psp.sqlite");
        std::fs::write(&path, b"pages").map_err(|e| e.to_string())?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))
            .map_err(|e| e.to_string())?;
        create_private_file(&path).map_err(|e| e.to_string())?;
        assert_eq!(std::fs::read(&path).map_err(|e| e.to_string())?, b"pages");
        assert_eq!(mode(&path)?, 0o600);
        let fresh = dir.path().join("new.sqlite");
        create_private_file(&fresh).map_err(|e| e.to_string())?;
        assert_eq!(mode(&fresh)?, 0o600);
        restrict_file(&dir.path().join("missing")).map_err(|e| e.to_string())?;
        assert!(
            !dir.path().join("missing").exists(),
            "a missing file stays missing"
        );
        Ok(())
    }

    #[test]
    fn a_data_directory_is_created_closed_and_an_open_one_is_closed() -> Result<(), String> {
        let parent = tempfile::tempdir().map_err(|e| e.to_string())?;
        let dir = parent.path().join("data");
        create_private_dir(&dir).map_err(|e| e.to_string())?;
        assert_eq!(mode(&dir)?, 0o700);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        create_private_dir(&dir).map_err(|e| e.to_string())?;
        assert_eq!(mode(&dir)?, 0o700);
        Ok(())
    }
}
