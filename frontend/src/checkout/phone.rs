//! The phone form's input, parsed with the server's own `MobileNumber`.

use shared::MobileNumber;

use super::{FormError, PhoneEntry};

/// Parses what the shopper typed with the server's own parser.
pub fn parse_phone(input: &str) -> Result<MobileNumber, FormError> {
    input.parse().map_err(FormError::Invalid)
}

/// After an edit: once an error is shown, it follows the input (and clears when valid).
pub fn revalidate(entry: &PhoneEntry, input: &str) -> PhoneEntry {
    let error = match entry.error {
        Some(_) => parse_phone(input).err(),
        None => None,
    };
    PhoneEntry {
        error,
        ..entry.clone()
    }
}
