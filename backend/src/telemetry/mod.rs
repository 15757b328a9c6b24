//! Logs, metrics and what every request passes through.
//!
//! Logging: `RUST_LOG` filters (default `info`); `LOG_FORMAT` is `text` (the default,
//! for people) or `json` (one object per line, for a log pipeline: each line carries the
//! fields of its request's span, the request id among them). The server logs to stdout;
//! operator commands log to stderr, so that their stdout is only their answer.

pub mod backlog;
pub mod metrics;
pub mod requests;

use tracing_subscriber::EnvFilter;

pub use metrics::Metrics;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    /// `LOG_FORMAT`: `text` or `json`, unset or empty for text.
    pub fn from_env() -> Result<Self, String> {
        Self::parse(std::env::var("LOG_FORMAT").ok().as_deref())
    }

    fn parse(value: Option<&str>) -> Result<Self, String> {
        match value.map(str::trim) {
            None | Some("" | "text") => Ok(Self::Text),
            Some("json") => Ok(Self::Json),
            Some(_) => Err("LOG_FORMAT must be `text` or `json`".to_owned()),
        }
    }
}

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// The server's logging, to stdout.
pub fn init(format: LogFormat) {
    init_with(format, std::io::stdout);
}

/// For commands whose stdout is their answer (`backend merchants create --json`).
pub fn init_to_stderr(format: LogFormat) {
    init_with(format, std::io::stderr);
}

fn init_with<W>(format: LogFormat, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(writer);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_format_is_text_unless_json_is_asked_for() {
        assert_eq!(LogFormat::parse(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("")), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("text")), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("json")), Ok(LogFormat::Json));
        assert!(LogFormat::parse(Some("JSON5")).is_err());
    }
}
