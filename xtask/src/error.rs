//! The one error type of the developer commands.

use std::fmt;
use std::io;
use std::process::ExitStatus;

#[derive(Debug)]
pub enum Error {
    /// A program could not be started at all.
    Spawn { program: String, source: io::Error },
    /// A step ran and failed.
    Failed { step: String, status: ExitStatus },
    /// A file or socket operation failed.
    Io { context: String, source: io::Error },
    /// Anything else, said in a sentence.
    Other(String),
}

impl Error {
    pub fn io(context: impl Into<String>) -> impl FnOnce(io::Error) -> Self {
        let context = context.into();
        move |source| Self::Io { context, source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spawn { program, source } if source.kind() == io::ErrorKind::NotFound => {
                write!(f, "`{program}` was not found on PATH")
            }
            Self::Spawn { program, source } => write!(f, "could not start `{program}`: {source}"),
            Self::Failed { step, status } => write!(f, "{step} failed ({status})"),
            Self::Io { context, source } => write!(f, "{context}: {source}"),
            Self::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}
