//! The shop's one product and the quantity a shopper may order.

use std::str::FromStr;

use shared::Amount;
use shared::merchant::Description;

/// Something for sale, priced in øre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    pub name: &'static str,
    pub blurb: &'static str,
    pub price_ore: u32,
}

/// Everything this shop sells.
pub const SOCKS: Product = Product {
    name: "Vipps socks",
    blurb: "Warm, orange and very comfortable. Knitted in Norway from 100 % merino wool.",
    price_ore: 29_900,
};

/// How many of a product a shopper buys: 1 to [`Quantity::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the quantity must be a whole number from 1 to {}", Quantity::MAX)]
pub struct QuantityError;

impl Quantity {
    pub const ONE: Self = Self(1);
    pub const MAX: u32 = 10;

    pub fn get(self) -> u32 {
        self.0
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().parse::<u32>() {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Self(n)),
            _ => Err(QuantityError),
        }
    }
}

impl Product {
    /// The price of `quantity` items; `None` if it does not fit an [`Amount`].
    pub fn total(&self, quantity: Quantity) -> Option<Amount> {
        let ore = u64::from(self.price_ore).checked_mul(u64::from(quantity.get()))?;
        Amount::from_ore(ore).ok()
    }

    /// The text the shopper sees at Vipps, e.g. `2 × Vipps socks`.
    pub fn description(&self, quantity: Quantity) -> Option<Description> {
        Description::try_from(format!("{} × {}", quantity.get(), self.name)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_is_between_one_and_ten() {
        assert_eq!("1".parse::<Quantity>().map(Quantity::get), Ok(1));
        assert_eq!("10".parse::<Quantity>().map(Quantity::get), Ok(10));
        for bad in ["0", "11", "-1", "1.5", "", "two"] {
            assert_eq!(bad.parse::<Quantity>(), Err(QuantityError), "{bad}");
        }
    }

    #[test]
    fn total_multiplies_the_price_in_ore() {
        let three = "3".parse::<Quantity>().ok();
        let total = three.and_then(|q| SOCKS.total(q)).map(Amount::ore);
        assert_eq!(total, Some(89_700));
        let description = three.and_then(|q| SOCKS.description(q));
        assert_eq!(
            description.as_ref().map(Description::as_str),
            Some("3 × Vipps socks")
        );
    }
}
