//! Running child programs: with their output streamed to ours, or captured for a version check.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::Error;

/// `program arg1 arg2 …`, for telling the user what we run (the program without its directory).
pub fn display(command: &Command) -> String {
    let program = command.get_program();
    let program = Path::new(program).file_name().unwrap_or(program);
    std::iter::once(program)
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `command` to completion with inherited stdio; a non-zero exit is an error naming `step`.
pub fn run(step: &str, command: &mut Command) -> Result<(), Error> {
    println!("    $ {}", display(command));
    let status = command.status().map_err(|source| Error::Spawn {
        program: command.get_program().to_string_lossy().into_owned(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed {
            step: step.to_owned(),
            status,
        })
    }
}

/// Stdout and stderr of `command` if it ran and succeeded; `None` otherwise (e.g. not installed).
pub fn capture(command: &mut Command) -> Option<String> {
    let output = command.stdin(Stdio::null()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Some(text)
}

/// Prints a step heading.
pub fn heading(text: &str) {
    println!("\n==> {text}");
}
