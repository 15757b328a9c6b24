//! `GET /v1/payments`: a merchant's payments, newest first, searched and filtered. The
//! status a merchant sees is computed in SQL by [`STATUS_SQL`], the same rules as
//! `view::merchant` (a test holds the two together), so a filter pages like any other.

use shared::MerchantId;
use shared::merchant::PaymentStatus;
use shared::payment_list::{ListPayments, PageSize, PaymentList};

use super::store::{PaymentStore, StoreError, from_row};
use super::{Payment, PaymentError, Payments, now_unix, view};

/// The merchant's status of a payment row, as `view::merchant` computes it (`$2` is now).
const STATUS_SQL: &str = "CASE
    WHEN state IN ('created', 'failed') AND expires_at <= $2 THEN 'expired'
    WHEN state IN ('created', 'initiating') THEN 'created'
    WHEN state = 'awaiting_app' THEN 'awaiting_app'
    WHEN state = 'charging' THEN 'processing'
    WHEN state = 'authorised' THEN CASE
        WHEN captured_ore = 0 AND released_ore > 0 THEN 'cancelled'
        WHEN captured_ore = 0 THEN 'authorised'
        WHEN refunded_ore = 0 AND captured_ore < amount_ore - released_ore THEN 'partially_captured'
        WHEN refunded_ore = 0 THEN 'captured'
        WHEN refunded_ore < captured_ore THEN 'partially_refunded'
        ELSE 'refunded' END
    ELSE state END";

/// A page of `merchant`'s payments as `query` asks. A `starting_after` that is not one of
/// the merchant's payments is "not found".
pub async fn list(
    state: &Payments,
    merchant: &MerchantId,
    query: &ListPayments,
) -> Result<PaymentList, PaymentError> {
    let now = now_unix();
    let (payments, has_more) = state.store.list(merchant, query, now).await?;
    Ok(PaymentList {
        data: payments.iter().map(|p| view::merchant(p, now)).collect(),
        has_more,
    })
}

impl PaymentStore {
    /// One page of `merchant`'s payments, newest first, and whether more follow.
    pub async fn list(
        &self,
        merchant: &MerchantId,
        query: &ListPayments,
        now: i64,
    ) -> Result<(Vec<Payment>, bool), PaymentError> {
        let after = match &query.starting_after {
            Some(id) => {
                let at: Option<i64> = sqlx::query_scalar(
                    "SELECT created_at FROM payments WHERE id = $1 AND merchant_id = $2",
                )
                .bind(id.as_str())
                .bind(merchant.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::from)?;
                Some((at.ok_or(PaymentError::NotFound)?, id.as_str()))
            }
            None => None,
        };
        let search = query.q.as_ref();
        let limit = query.limit.unwrap_or(PageSize::DEFAULT).get();
        let sql = format!(
            "SELECT * FROM payments
             WHERE merchant_id = $1
               AND ($3 IS NULL OR ({STATUS_SQL}) = $3)
               AND ($4 IS NULL OR id = $4 OR card_last_four = $4
                    OR LOWER(merchant_order_id) LIKE $5 ESCAPE '!')
               AND ($6 IS NULL OR created_at < $6 OR (created_at = $6 AND id < $7))
             ORDER BY created_at DESC, id DESC
             LIMIT $8"
        );
        let rows = sqlx::query(&sql)
            .bind(merchant.as_str())
            .bind(now)
            .bind(query.status.map(PaymentStatus::as_str))
            .bind(search.map(|q| q.as_str().to_owned()))
            .bind(search.map(|q| like_pattern(q.as_str())))
            .bind(after.map(|(at, _)| at))
            .bind(after.map(|(_, id)| id.to_owned()))
            .bind(i64::from(limit).saturating_add(1))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::from)?;
        let mut payments = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
        let has_more = payments.len() > usize::from(limit);
        payments.truncate(usize::from(limit));
        Ok((payments, has_more))
    }
}

/// `%text%`, lowercased, with LIKE's wildcards in `text` escaped by `!`.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
#[path = "listing_tests.rs"]
mod tests;
