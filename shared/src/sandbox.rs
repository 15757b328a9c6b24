//! The offline sandbox's credentials: the backend's defaults and the simulator's
//! defaults are the same values, so both run with nothing configured.
//! None of these is a secret; production sets its own through the environment.

pub const CLIENT_ID: &str = "sandbox-client-id";
pub const CLIENT_SECRET: &str = "sandbox-client-secret";
pub const SUBSCRIPTION_KEY: &str = "sandbox-subscription-key";
pub const PSP_ID: &str = "sandbox-psp";
/// The demo merchant's sales unit (Merchant Serial Number).
pub const MERCHANT_SERIAL_NUMBER: &str = "123456";
pub const MERCHANT_NAME: &str = "Demo Shop AS";
/// The sandbox merchant's dashboard user (its password is generated into
/// `data/dashboard-password` at the backend's first start).
pub const DASHBOARD_EMAIL: &str = "demo@shop.example";
/// A second sandbox sales unit, so two merchants can be tried side by side.
pub const SECOND_MERCHANT_SERIAL_NUMBER: &str = "654321";
pub const SECOND_MERCHANT_NAME: &str = "Fjord Kaffe AS";
/// A Merchant Serial Number Vipps never knows: every PSP call carrying it gets errorCode 21
/// (merchant not available). The simulator refuses to be configured with it.
pub const UNAVAILABLE_MERCHANT_SERIAL_NUMBER: &str = "999999";

/// Default listen ports of the three demo processes.
pub const BACKEND_PORT: u16 = 4000;
pub const SIMULATOR_PORT: u16 = 4001;
pub const SHOP_PORT: u16 = 4002;
