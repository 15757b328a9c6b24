//! Unguessable identifiers (tokens, landing ids, session ids) from the system CSPRNG.

/// The system random generator failed; nothing sensible can be issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the system random generator failed")]
pub struct RandomError;

/// `N` random bytes as `2 * N` lowercase hex digits.
pub fn hex<const N: usize>() -> Result<String, RandomError> {
    let mut bytes = [0u8; N];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| RandomError)?;
    Ok(shared::ids::hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids_have_the_asked_length_and_differ() {
        let (Ok(a), Ok(b)) = (hex::<16>(), hex::<16>()) else {
            unreachable!()
        };
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
