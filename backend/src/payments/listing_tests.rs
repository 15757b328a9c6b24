use shared::MerchantId;
use shared::merchant::PaymentStatus;
use shared::payment_list::ListPayments;

use super::super::{PaymentStore, view};
use crate::webhooks::test_support::{fixture, merchant};

/// Payment rows in every state, with ledgers of every shape, some past their expiry.
async fn rows(store: &PaymentStore, merchant: &MerchantId) -> Result<usize, String> {
    let states = [
        "created",
        "initiating",
        "awaiting_app",
        "charging",
        "authorised",
        "failed",
        "cancelled",
        "expired",
    ];
    // (captured, refunded, released) of a 10 000 øre payment.
    let ledgers = [
        (0, 0, 0),
        (0, 0, 10_000),
        (4_000, 0, 0),
        (4_000, 0, 6_000),
        (10_000, 0, 0),
        (10_000, 3_000, 0),
        (10_000, 10_000, 0),
        (4_000, 4_000, 6_000),
    ];
    let mut n = 0u8;
    for state in states {
        for (captured, refunded, released) in ledgers {
            for expires_at in [0_i64, i64::MAX / 2] {
                n = n.saturating_add(1);
                sqlx::query(
                    "INSERT INTO payments (id, merchant_id, state, amount_ore, currency,
                        merchant_order_id, description, client_secret_hash, created_at,
                        expires_at, updated_at, captured_ore, refunded_ore, released_ore)
                     VALUES ($1, $2, $3, 10000, 'NOK', $4, 'Kaffe', $5, $6, $7, 0, $8, $9, $10)",
                )
                .bind(format!("pay_{}", shared::ids::hex(&[n; 16])))
                .bind(merchant.as_str())
                .bind(state)
                .bind(format!("order{n}"))
                .bind(vec![n; 32])
                .bind(i64::from(n))
                .bind(expires_at)
                .bind(captured)
                .bind(refunded)
                .bind(released)
                .execute(store.pool())
                .await
                .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(usize::from(n))
}

#[tokio::test]
async fn the_status_filter_agrees_with_the_status_merchants_see() -> Result<(), String> {
    let fixture = fixture().await?;
    let store = PaymentStore::with_pool(fixture.pool.clone());
    let shop = merchant(&fixture.pool, 1).await?;
    let total = rows(&store, &shop).await?;
    let now = crate::payments::now_unix();
    let all = ListPayments {
        limit: 100.try_into().ok(),
        ..ListPayments::default()
    };
    let (every, _) = store
        .list(&shop, &all, now)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(every.len(), 100);
    let mut seen = 0;
    for status in PaymentStatus::ALL {
        let query = ListPayments {
            status: Some(status),
            ..all.clone()
        };
        let (found, more) = store
            .list(&shop, &query, now)
            .await
            .map_err(|e| e.to_string())?;
        assert!(!more, "{status:?}: fewer than 100");
        for payment in &found {
            assert_eq!(
                view::merchant(payment, now).status,
                status,
                "{}",
                payment.id
            );
        }
        seen += found.len();
    }
    assert_eq!(seen, total, "every payment has one of the statuses");
    Ok(())
}
