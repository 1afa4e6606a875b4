//! Helpers for the tests of ward and of its callers, and nothing else: fake credentials with the
//! structure of real ones (valid checksums, decodable key bodies), made at run time from a seed,
//! so that a test can exercise a secret rule without a live-looking token ever being committed.
//! `<<ward:KIND>>` placeholders in a fixture are filled by [`expand`]; [`token`] makes one.

pub use crate::policy::secret_rule::{RecipePart, TokenRecipe};
pub use crate::secrets::generate::{expand, expand_with, recipe, token, ExpandError, KINDS as TOKEN_KINDS};
