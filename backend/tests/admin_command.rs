//! The operator's command line on the backend binary: `backend merchants create|list|
//! disable|enable` and `backend keys create|list|revoke`, straight on the database.

use std::process::{Command, Output};

fn run(data: &std::path::Path, args: &[&str]) -> Result<Output, String> {
    Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(args)
        .env_clear()
        .env("PSP_DATA_DIR", data)
        .output()
        .map_err(|e| e.to_string())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_merchant_created_on_the_command_line_gets_its_key_once_and_is_listed() -> Result<(), String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let created = run(
        data.path(),
        &[
            "merchants",
            "create",
            "--name",
            "Fjord Kaffe AS",
            "--msn",
            "654321",
            "--origin",
            "https://kaffe.example",
            "--json",
        ],
    )?;
    assert!(created.status.success(), "{}", text(&created.stderr));
    let answer: shared::account::CreatedMerchant = serde_json::from_slice(&created.stdout)
        .map_err(|e| format!("{e}: {}", text(&created.stdout)))?;
    assert!(answer.api_key.secret.starts_with("sk_test_"));
    let id = answer.merchant.id.to_string();
    let listed = run(data.path(), &["merchants", "list"])?;
    let listing = text(&listed.stdout);
    assert!(
        listing.contains(&id) && listing.contains("654321") && listing.contains("active"),
        "{listing}"
    );
    assert!(
        !listing.contains(&answer.api_key.secret),
        "a secret is listed"
    );
    let keys = run(data.path(), &["keys", "list", "--merchant", &id])?;
    let keys = text(&keys.stdout);
    assert!(
        keys.contains(answer.api_key.key.id.as_str()) && !keys.contains(&answer.api_key.secret),
        "{keys}"
    );
    let disabled = run(data.path(), &["merchants", "disable", &id])?;
    assert!(disabled.status.success(), "{}", text(&disabled.stderr));
    let listing = text(&run(data.path(), &["merchants", "list"])?.stdout);
    assert!(listing.contains("disabled"), "{listing}");
    Ok(())
}

#[test]
fn a_bad_msn_or_origin_on_the_command_line_names_the_flag_and_creates_nothing() -> Result<(), String>
{
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    for (args, flag) in [
        (
            ["--msn", "12345", "--origin", "https://kaffe.example"],
            "--msn",
        ),
        (
            ["--msn", "654321", "--origin", "kaffe.example/x"],
            "--origin",
        ),
    ] {
        let mut all = vec!["merchants", "create", "--name", "Fjord Kaffe AS"];
        all.extend(args);
        let output = run(data.path(), &all)?;
        assert!(!output.status.success());
        let error = text(&output.stderr);
        assert!(error.contains(flag), "{error}");
    }
    let listing = text(&run(data.path(), &["merchants", "list"])?.stdout);
    assert!(listing.trim().is_empty(), "{listing}");
    Ok(())
}
