//! Credentials: API tokens and session ids are random, shown once, and stored
//! only as their SHA-256; passwords are hashed with argon2id on a blocking
//! thread. Plain tokens and passwords travel as [`SecretString`], whose
//! `Debug` never shows them.

use crate::{Error, Result};
use rand::RngCore;
use ringdesk_domain::company::Permission;
use ringdesk_store::NewApiToken;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// Hex SHA-256 of a token or session id: what the store keeps and looks up.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

/// `bytes` random bytes as hex.
pub fn random_hex(bytes: usize) -> String {
    hex::encode(random_bytes(bytes))
}

/// A new random API token (`rd_` + 48 hex characters) and what the store keeps of it.
pub fn new_api_token(
    name: &str,
    permissions: Option<Vec<Permission>>,
) -> (SecretString, NewApiToken) {
    let token = format!("rd_{}", random_hex(24));
    let record = NewApiToken {
        name: name.to_owned(),
        token_hash: token_hash(&token),
        prefix: token[..9].to_owned(),
        permissions,
    };
    (token.into(), record)
}

/// argon2id with the crate's default (OWASP-recommended) parameters, on a blocking thread.
pub async fn hash_password(password: SecretString) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| Error::Internal(format!("hashing task failed: {e}")))?
    .map_err(|e| Error::Internal(format!("hashing failed: {e}")))
}

/// A hash to check against when the e-mail names no account, so that the
/// answer takes as long as for a real one.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Yb8pWQvsv+0HPI8D8F2qqdlFZVgzEV8Q3dwnOVXpC4U";

/// Checks a password against an argon2 hash on a blocking thread; with no
/// hash (an unknown account) it checks a decoy and answers `false`.
pub async fn verify_password(password: SecretString, hash: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(|| DECOY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        let ok = argon2::Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok();
        ok && real
    })
    .await
    .map_err(|e| Error::Internal(format!("password check failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoy_hash_parses_so_unknown_accounts_cost_a_real_check() {
        use argon2::password_hash::PasswordHash;
        assert!(PasswordHash::new(DECOY_HASH).is_ok());
    }

    #[test]
    fn a_new_token_is_kept_only_as_its_hash_and_never_shown_by_debug() {
        let (token, record) = new_api_token("pbx", None);
        let plain = token.expose_secret();
        assert!(plain.starts_with("rd_") && plain.len() == 51);
        assert_eq!(record.token_hash, token_hash(plain));
        assert_eq!(record.prefix, plain[..9]);
        assert!(!format!("{token:?}").contains(plain));
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(verify_password("correct horse".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify_password("wrong horse".into(), Some(hash))
            .await
            .unwrap());
        assert!(!verify_password("correct horse".into(), None).await.unwrap());
    }
}
