//! Health: `/health/live` (the process answers; `/health` is the same, kept for the
//! probes already pointed at it) and `/health/ready` (the database answers and carries
//! every migration of this build), for a load balancer or an orchestrator.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::app::AppState;
use crate::database::{self, NotReady};

#[utoipa::path(
    get, path = "/health/live", operation_id = "health_live", summary = "Liveness", tag = "health",
    responses((status = 200, description = "The process serves", content_type = "text/plain", body = String))
)]
pub async fn live() -> &'static str {
    "ok"
}

/// The readiness answer: `{"status":"ready"}`, or `not_ready` with a reason a probe can
/// match on; the details go to the log, not to whoever asks.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
}

#[utoipa::path(
    get, path = "/health/ready", operation_id = "health_ready", summary = "Readiness", tag = "health",
    responses(
        (status = 200, description = "The database answers and has this build's migrations", body = Readiness),
        (status = 503, description = "Not ready, with the reason", body = Readiness)
    )
)]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    match database::ready(state.payments.store.pool()).await {
        Ok(()) => (
            StatusCode::OK,
            Json(Readiness {
                status: "ready",
                reason: None,
            }),
        ),
        Err(error) => {
            tracing::warn!(%error, "not ready");
            let reason = match error {
                NotReady::Unreachable(_) => "database_unreachable",
                NotReady::Slow => "database_slow",
                NotReady::NotMigrated(_) => "database_not_migrated",
            };
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Readiness {
                    status: "not_ready",
                    reason: Some(reason),
                }),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use crate::Application;

    async fn app() -> Result<(Application, tempfile::TempDir), String> {
        Application::for_test(|_| {}).await
    }

    async fn get(router: &axum::Router, path: &str) -> Result<(StatusCode, String), String> {
        let request = Request::get(path)
            .body(Body::empty())
            .map_err(|e| e.to_string())?;
        let response = router
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .map_err(|e| e.to_string())?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }

    #[tokio::test]
    async fn ready_while_the_database_answers_and_not_once_it_cannot_be_reached()
    -> Result<(), String> {
        let (app, _data) = app().await?;
        let state = app.state().clone();
        let router = crate::routes::router(state.clone());
        assert_eq!(
            get(&router, "/health/ready").await?,
            (StatusCode::OK, r#"{"status":"ready"}"#.to_owned())
        );
        // No connection can be had any more, as when the database is gone.
        state.payments.store.pool().close().await;
        assert_eq!(
            get(&router, "/health/ready").await?,
            (
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"status":"not_ready","reason":"database_unreachable"}"#.to_owned()
            )
        );
        // Liveness does not depend on the database.
        assert_eq!(get(&router, "/health/live").await?.0, StatusCode::OK);
        Ok(())
    }

    #[tokio::test]
    async fn not_ready_on_a_database_without_this_builds_migrations() -> Result<(), String> {
        let (app, _data) = app().await?;
        let state = app.state().clone();
        let router = crate::routes::router(state.clone());
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
            .execute(state.payments.store.pool())
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(
            get(&router, "/health/ready").await?,
            (
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"status":"not_ready","reason":"database_not_migrated"}"#.to_owned()
            )
        );
        Ok(())
    }
}
