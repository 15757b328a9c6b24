//! The operator's command line (`backend merchants …`, `backend keys …`): the same
//! operations as the operator API, straight on the database, for onboarding without a
//! running server. A new merchant's or key's secret is printed once.

use clap::{Args, Subcommand};
use shared::account::{Appearance, CreateApiKey, CreateMerchant, MerchantStatus, Origin};
use shared::dashboard::{Email, NewPassword};
use shared::text::Lang;
use shared::{ApiKeyId, MerchantId};

use crate::config::Config;
use crate::merchants::{MerchantError, MerchantStore};
use crate::payments::{PaymentStore, StoreError};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Merchant accounts: create, list, disable, enable.
    #[command(subcommand)]
    Merchants(MerchantCommand),
    /// A merchant's API keys: create, list, revoke.
    #[command(subcommand)]
    Keys(KeyCommand),
    /// People who sign in to a merchant's dashboard: create, list, disable.
    #[command(subcommand)]
    DashboardUsers(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates a user; the password is read from standard input (its first line, 12 to
    /// 1024 characters), so that it is in no shell history or process list.
    Create {
        #[arg(long)]
        merchant: MerchantId,
        #[arg(long)]
        email: String,
    },
    List {
        #[arg(long)]
        merchant: MerchantId,
    },
    /// Disabled at once: the user's sessions end and sign-in is refused.
    Disable {
        #[arg(long)]
        merchant: MerchantId,
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// Creates a merchant and prints its first secret key (once).
    Create(CreateArgs),
    List,
    /// Its keys and widgets stop working; its payments stay readable by the operator.
    Disable {
        id: MerchantId,
    },
    Enable {
        id: MerchantId,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The name shoppers see (widget, return page, Vipps).
    #[arg(long)]
    name: String,
    /// Vipps's Merchant Serial Number of the sales unit (6 digits).
    #[arg(long)]
    msn: String,
    /// An origin allowed to frame the widget (repeat for several).
    #[arg(long = "origin")]
    origins: Vec<String>,
    /// The widget's language when the page names none: nb, nn or en.
    #[arg(long)]
    language: Option<String>,
    /// Print the answer as JSON (as the operator API gives it).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Creates a key and prints its secret (once).
    Create {
        #[arg(long)]
        merchant: MerchantId,
        #[arg(long)]
        name: String,
    },
    List {
        #[arg(long)]
        merchant: MerchantId,
    },
    /// Revoked at once: requests with it get 401.
    Revoke {
        #[arg(long)]
        merchant: MerchantId,
        key: ApiKeyId,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Merchant(#[from] MerchantError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    DataDir(#[from] crate::data_dir::PrivateFileError),
    #[error(transparent)]
    Dashboard(#[from] crate::dashboard::DashboardError),
}

/// Runs one command against the configured database; returns what to print.
pub async fn run(config: &Config, command: Command) -> Result<String, AdminError> {
    crate::data_dir::create_private_dir(&config.data_dir)?;
    let url = crate::data_dir::database_url(&config.data_dir, config.database_url.as_deref())?;
    let store = PaymentStore::connect(&url).await?;
    let merchants = MerchantStore::new(store.pool().clone());
    match command {
        Command::Merchants(command) => merchant_command(config, &merchants, command).await,
        Command::Keys(command) => key_command(config, &merchants, command).await,
        Command::DashboardUsers(command) => {
            let users = crate::dashboard::UserStore::new(store.pool().clone());
            user_command(&users, command, &mut std::io::stdin().lock()).await
        }
    }
}

async fn user_command(
    users: &crate::dashboard::UserStore,
    command: UserCommand,
    input: &mut impl std::io::BufRead,
) -> Result<String, AdminError> {
    let email = |text: String| {
        text.parse::<Email>()
            .map_err(|e| AdminError::Invalid(format!("--email: {e}")))
    };
    match command {
        UserCommand::Create {
            merchant,
            email: text,
        } => {
            let email = email(text)?;
            let mut line = zeroize::Zeroizing::new(String::new());
            input
                .read_line(&mut line)
                .map_err(|e| AdminError::Invalid(format!("cannot read the password: {e}")))?;
            let typed = line.strip_suffix('\n').unwrap_or(&line);
            let typed = typed.strip_suffix('\r').unwrap_or(typed);
            let password = NewPassword::try_from(typed.to_owned())
                .map_err(|e| AdminError::Invalid(format!("the password (standard input): {e}")))?;
            let user = users.create(&merchant, email, password).await?;
            Ok(format!(
                "dashboard user {} created: {} (merchant {merchant})",
                user.id,
                user.email.as_str()
            ))
        }
        UserCommand::List { merchant } => {
            let lines: Vec<String> = users
                .list(&merchant)
                .await?
                .iter()
                .map(|(user, disabled)| {
                    let state = if *disabled { "disabled" } else { "active" };
                    format!("{}  {:<8}  {}", user.id, state, user.email.as_str())
                })
                .collect();
            Ok(lines.join("\n"))
        }
        UserCommand::Disable {
            merchant,
            email: text,
        } => {
            let email = email(text)?;
            if users.disable(&merchant, &email).await? {
                Ok(format!("dashboard user {} disabled", email.as_str()))
            } else {
                Err(AdminError::Invalid(format!(
                    "merchant {merchant} has no active dashboard user {}",
                    email.as_str()
                )))
            }
        }
    }
}

async fn merchant_command(
    config: &Config,
    merchants: &MerchantStore,
    command: MerchantCommand,
) -> Result<String, AdminError> {
    match command {
        MerchantCommand::Create(args) => {
            let json = args.json;
            let created = merchants.create(&args.parse()?, config.mode).await?;
            if json {
                return serde_json::to_string_pretty(&created)
                    .map_err(|e| AdminError::Invalid(e.to_string()));
            }
            let m = &created.merchant;
            Ok(format!(
                "merchant {} created: {} (MSN {})\nsecret key (shown once, keep it secret): {}",
                m.id,
                m.name.as_str(),
                m.msn,
                created.api_key.secret
            ))
        }
        MerchantCommand::List => {
            let lines: Vec<String> = merchants
                .list()
                .await?
                .iter()
                .map(|m| {
                    let origins: Vec<&str> = m.allowed_origins.iter().map(Origin::as_str).collect();
                    format!(
                        "{}  {}  {:<8}  {}  [{}]",
                        m.id,
                        m.msn,
                        status_name(m.status),
                        m.name.as_str(),
                        origins.join(" ")
                    )
                })
                .collect();
            Ok(lines.join("\n"))
        }
        MerchantCommand::Disable { id } => {
            let m = merchants.set_status(&id, MerchantStatus::Disabled).await?;
            Ok(format!("merchant {} disabled", m.id))
        }
        MerchantCommand::Enable { id } => {
            let m = merchants.set_status(&id, MerchantStatus::Active).await?;
            Ok(format!("merchant {} enabled", m.id))
        }
    }
}

async fn key_command(
    config: &Config,
    merchants: &MerchantStore,
    command: KeyCommand,
) -> Result<String, AdminError> {
    match command {
        KeyCommand::Create { merchant, name } => {
            let request: CreateApiKey = serde_json::from_value(serde_json::json!({ "name": name }))
                .map_err(|e| AdminError::Invalid(format!("--name: {e}")))?;
            let key = merchants
                .create_key_for(&merchant, &request.name, config.mode)
                .await?;
            Ok(format!(
                "key {} created\nsecret key (shown once, keep it secret): {}",
                key.key.id, key.secret
            ))
        }
        KeyCommand::List { merchant } => {
            merchants.get(&merchant).await?;
            let lines: Vec<String> = merchants
                .keys(&merchant)
                .await?
                .iter()
                .map(|k| {
                    let state = if k.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "live"
                    };
                    format!("{}  {}…  {:<7}  {}", k.id, k.prefix, state, k.name.as_str())
                })
                .collect();
            Ok(lines.join("\n"))
        }
        KeyCommand::Revoke { merchant, key } => {
            let key = merchants.revoke_key(&merchant, &key).await?;
            Ok(format!("key {} revoked", key.id))
        }
    }
}

fn status_name(status: MerchantStatus) -> &'static str {
    match status {
        MerchantStatus::Active => "active",
        MerchantStatus::Disabled => "disabled",
    }
}

impl CreateArgs {
    /// The request as the operator API would take it: each field parsed, the bad one named.
    fn parse(self) -> Result<CreateMerchant, AdminError> {
        let invalid =
            |flag: &str, e: &dyn std::fmt::Display| AdminError::Invalid(format!("--{flag}: {e}"));
        let origins = self
            .origins
            .iter()
            .map(|o| o.parse::<Origin>().map_err(|e| invalid("origin", &e)))
            .collect::<Result<Vec<_>, _>>()?;
        let language = self
            .language
            .map(|code| {
                serde_json::from_value::<Lang>(serde_json::Value::String(code))
                    .map_err(|_| invalid("language", &"nb, nn or en"))
            })
            .transpose()?;
        Ok(CreateMerchant {
            name: self.name.try_into().map_err(|e| invalid("name", &e))?,
            msn: self.msn.parse().map_err(|e| invalid("msn", &e))?,
            allowed_origins: origins,
            language,
            appearance: Appearance::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::SessionStore;
    use crate::webhooks::test_support::{fixture, merchant};

    fn create(merchant: &MerchantId) -> UserCommand {
        UserCommand::Create {
            merchant: merchant.clone(),
            email: "Kari@Shop.Example".to_owned(),
        }
    }

    #[tokio::test]
    async fn a_user_is_made_with_the_first_line_of_input_and_disabled_with_their_sessions()
    -> Result<(), String> {
        let fixture = fixture().await?;
        let shop = merchant(&fixture.pool, 1).await?;
        let users = crate::dashboard::UserStore::new(fixture.pool.clone());
        let run = |command, input: &'static str| {
            let users = users.clone();
            async move { user_command(&users, command, &mut input.as_bytes()).await }
        };

        let short = run(create(&shop), "too short\n").await;
        assert!(
            matches!(short, Err(AdminError::Invalid(ref m)) if m.contains("12 to 1024")),
            "{short:?}"
        );
        let made = run(create(&shop), "correct horse battery\r\nignored\n").await;
        assert!(
            made.as_deref()
                .is_ok_and(|m| m.contains("kari@shop.example")),
            "{made:?}"
        );
        let again = run(create(&shop), "correct horse battery\n").await;
        assert!(matches!(again, Err(AdminError::Dashboard(_))), "{again:?}");

        let merchants = MerchantStore::new(fixture.pool.clone());
        let sessions = SessionStore::new(fixture.pool.clone(), merchants, false);
        let signed_in = sessions
            .sign_in("kari@shop.example", "correct horse battery".to_owned())
            .await
            .map_err(|e| e.to_string())?;
        let listed = run(
            UserCommand::List {
                merchant: shop.clone(),
            },
            "",
        )
        .await;
        assert!(
            listed
                .as_deref()
                .is_ok_and(|l| l.contains("active") && l.contains("kari@")),
            "{listed:?}"
        );

        let disable = UserCommand::Disable {
            merchant: shop.clone(),
            email: "kari@shop.example".to_owned(),
        };
        assert!(run(disable, "").await.is_ok());
        let found = sessions
            .find(&signed_in.token)
            .await
            .map_err(|e| e.to_string())?;
        assert!(found.is_none(), "the session ended");
        let refused = sessions
            .sign_in("kari@shop.example", "correct horse battery".to_owned())
            .await;
        assert!(matches!(
            refused,
            Err(crate::dashboard::DashboardError::WrongCredentials)
        ));
        let listed = run(UserCommand::List { merchant: shop }, "").await;
        assert!(
            listed.as_deref().is_ok_and(|l| l.contains("disabled")),
            "{listed:?}"
        );
        Ok(())
    }
}
