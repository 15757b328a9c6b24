//! The wire contract shared by the backend, the widget (wasm32) and the simulator.
//!
//! Everything here is plain data: domain newtypes that cannot hold an invalid value
//! (parse, don't validate), the DTOs the widget and merchants exchange with the backend,
//! the Vipps PSP API v2 wire types, and every word a shopper reads (`text`). Only `serde` and `thiserror`: it must stay light
//! enough for the widget's wasm.

pub mod account;
pub mod amount;
pub mod appearance;
pub mod checkout;
pub mod dashboard;
pub mod ids;
pub mod merchant;
pub mod mobile_number;
#[cfg(feature = "openapi")]
mod openapi;
pub mod payment_list;
pub mod sandbox;
pub mod test_cards;
pub mod text;
pub mod timeline;
pub mod vipps;
pub mod webhooks;

pub use amount::{Amount, AmountError, Currency};
pub use ids::{
    ApiKeyId, EndpointId, EventId, IdError, MerchantId, MerchantOrderId, PaymentId,
    PspTransactionId, UserId,
};
pub use mobile_number::{MobileNumber, MobileNumberError};
