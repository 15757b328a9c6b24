//! One component per address.

pub mod developers;
pub mod not_found;
pub mod payment;
pub mod payments;
pub mod sign_in;
