//! Invoice arithmetic and numbering. Money is integer minor units (cents) throughout; rounding
//! is half away from zero, applied once per line and once for tax.
use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use crate::entities::{enums::InvoiceStatus, invoice, invoice_counter};

/// Quantities are given with at most three decimals and stored in thousandths.
pub const QUANTITY_SCALE: i64 = 1000;
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000 * QUANTITY_SCALE;
pub const MAX_UNIT_PRICE_CENTS: i64 = 10_000_000_000;

fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d.abs() { q + n.signum() * d.signum() } else { q }
}

/// Converts a decimal quantity to thousandths, refusing more precision than that (saying why
/// in the request's language, for the field's problem).
pub fn quantity_milli(q: f64) -> Result<i64, String> {
    if !q.is_finite() || q <= 0.0 {
        return Err(crate::problem!("invoice-quantity-not-positive"));
    }
    let scaled = q * QUANTITY_SCALE as f64;
    let rounded = scaled.round();
    if (scaled - rounded).abs() > 1e-6 {
        return Err(crate::problem!("invoice-quantity-too-precise"));
    }
    if rounded > MAX_QUANTITY_MILLI as f64 {
        return Err(crate::problem!("invoice-quantity-too-large"));
    }
    Ok(rounded as i64)
}

pub fn line_amount(quantity_milli: i64, unit_price_cents: i64) -> i64 {
    div_round(quantity_milli as i128 * unit_price_cents as i128, QUANTITY_SCALE as i128) as i64
}

pub struct Totals {
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}

pub fn totals(line_amounts: impl IntoIterator<Item = i64>, tax_rate_bp: i32) -> Totals {
    let subtotal: i64 = line_amounts.into_iter().sum();
    let tax = div_round(subtotal as i128 * tax_rate_bp as i128, 10_000) as i64;
    Totals { subtotal_cents: subtotal, tax_cents: tax, total_cents: subtotal + tax }
}

/// What people see: `overdue` is a sent invoice past its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisplayStatus {
    Draft,
    Sent,
    Overdue,
    Paid,
    Void,
}

pub fn display_status(inv: &invoice::Model, today: NaiveDate) -> DisplayStatus {
    match inv.status {
        InvoiceStatus::Draft => DisplayStatus::Draft,
        InvoiceStatus::Sent if inv.due_date < today => DisplayStatus::Overdue,
        InvoiceStatus::Sent => DisplayStatus::Sent,
        InvoiceStatus::Paid => DisplayStatus::Paid,
        InvoiceStatus::Void => DisplayStatus::Void,
    }
}

/// Allocates the next human number of the issue year, e.g. `INV-2026-0042`. Call inside the
/// invoice's transaction: the counter row stays locked until commit, so numbers never repeat.
pub async fn next_number(db: &impl ConnectionTrait, issue_date: NaiveDate) -> Result<String, sea_orm::DbErr> {
    let year = issue_date.year();
    invoice_counter::Entity::insert(invoice_counter::ActiveModel { year: Set(year), last: Set(0) })
        .on_conflict(OnConflict::column(invoice_counter::Column::Year).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    invoice_counter::Entity::update_many()
        .col_expr(invoice_counter::Column::Last, Expr::col(invoice_counter::Column::Last).add(1))
        .filter(invoice_counter::Column::Year.eq(year))
        .exec(db)
        .await?;
    let counter = invoice_counter::Entity::find_by_id(year)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("invoice counter".into()))?;
    Ok(format!("INV-{year}-{:04}", counter.last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_amounts_round_half_away_from_zero() {
        assert_eq!(line_amount(1500, 10_000), 15_000); // 1.5 × 100.00
        assert_eq!(line_amount(333, 100), 33); // 0.333 × 1.00 = 0.333
        assert_eq!(line_amount(1005, 50), 50); // 1.005 × 0.50 = 0.5025 → 0.50
        assert_eq!(line_amount(1, 500), 1); // 0.001 × 5.00 = 0.005 → 0.01
    }

    #[test]
    fn tax_is_computed_once_on_the_subtotal() {
        let t = totals([1_001, 1_001], 2_000);
        assert_eq!((t.subtotal_cents, t.tax_cents, t.total_cents), (2_002, 400, 2_402));
    }

    #[test]
    fn quantities_take_at_most_three_decimals() {
        assert_eq!(quantity_milli(1.5), Ok(1500));
        assert_eq!(quantity_milli(0.001), Ok(1));
        assert!(quantity_milli(0.0005).is_err());
        assert!(quantity_milli(-1.0).is_err());
        assert!(quantity_milli(f64::NAN).is_err());
    }
}
