//! `/sim/merchants`: the sales units Vipps knows, and adding or renaming one at runtime, as
//! a sandbox operator does after creating a merchant in the PSP (no restart needed).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;

use super::{Body, ControlError};
use crate::app::AppState;
use crate::merchants::{Merchant, Put};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sim/merchants", get(list))
        .route("/sim/merchants/{msn}", put(put_merchant))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MerchantBody {
    name: Option<String>,
}

async fn list(State(app): State<AppState>) -> Json<Vec<Merchant>> {
    Json(app.merchants.lock().await.list())
}

/// Adds the merchant (201) or renames it (200); payments already made keep their name.
async fn put_merchant(
    State(app): State<AppState>,
    Path(msn): Path<String>,
    Body(body): Body<MerchantBody>,
) -> Result<(StatusCode, Json<Merchant>), ControlError> {
    let name = body
        .name
        .ok_or_else(|| ControlError::invalid("name is required"))?;
    let merchant =
        Merchant::parse(&msn, &name).map_err(|err| ControlError::invalid(err.to_string()))?;
    let put = app.merchants.lock().await.put(merchant.clone());
    tracing::info!(msn = %merchant.serial_number, ?put, "merchant set");
    let status = match put {
        Put::Added => StatusCode::CREATED,
        Put::Renamed => StatusCode::OK,
    };
    Ok((status, Json(merchant)))
}
