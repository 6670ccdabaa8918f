//! Sealing a check's result so that only the harness can produce one.
//!
//! The learner's code runs in the same process as the harness, so it could write a result
//! file of its own. The runner therefore hands the harness a fresh random key on its stdin
//! for every check; the harness reads it before any learner code runs, keeps it on its own
//! stack (where safe code cannot name it) and signs the result with HMAC-SHA256. The runner
//! accepts a result only if its tag verifies with that key: a result written by anyone else,
//! a copy of an earlier run's result, or a result altered after signing is rejected.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::CheckResult;

/// The largest sealed result the runner reads: far above any real result (a few KB, figures
/// included), and small enough that a flood cannot stall or exhaust the runner.
pub const MAX_SEALED_BYTES: u64 = 4 << 20;

/// Length of a key in bytes (sent as twice as many hex digits).
pub const KEY_BYTES: usize = 32;

/// What the harness reports for one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sealed {
    pub result: CheckResult,
    /// What of the confinement the kernel could not enforce (`None`: all of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfined: Option<String>,
}

/// Why a sealed result was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// Not `TAG\nJSON`, or the tag is not hex.
    Malformed,
    /// The tag does not match: the result was not written by the harness of this run.
    Forged,
    /// The tag matches but the JSON is not a result (a harness bug).
    Unreadable(String),
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SealError::Malformed => write!(f, "the result is not in the harness's sealed form"),
            SealError::Forged => write!(f, "the result's seal does not verify"),
            SealError::Unreadable(e) => write!(f, "the sealed result cannot be read ({e})"),
        }
    }
}

/// A key as the runner writes it to the harness's stdin.
pub fn key_to_hex(key: &[u8; KEY_BYTES]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key the harness read from its stdin, if it is one.
pub fn key_from_hex(text: &str) -> Option<[u8; KEY_BYTES]> {
    let text = text.trim();
    if text.len() != 2 * KEY_BYTES || !text.is_ascii() {
        return None;
    }
    let mut key = [0u8; KEY_BYTES];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

fn mac(key: &[u8; KEY_BYTES]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length")
}

/// `TAG\nJSON`: the hex HMAC-SHA256 of the JSON, a newline, the JSON.
pub fn seal(key: &[u8; KEY_BYTES], sealed: &Sealed) -> String {
    let json = serde_json::to_string(sealed).expect("a sealed result serializes");
    let mut mac = mac(key);
    mac.update(json.as_bytes());
    let tag: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{tag}\n{json}")
}

/// The result in `text`, if the harness holding `key` sealed it.
pub fn open(key: &[u8; KEY_BYTES], text: &str) -> Result<Sealed, SealError> {
    let (tag, json) = text.split_once('\n').ok_or(SealError::Malformed)?;
    if tag.len() % 2 != 0 || !tag.is_ascii() {
        return Err(SealError::Malformed);
    }
    let tag: Vec<u8> = (0..tag.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&tag[i..i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| SealError::Malformed)?;
    let mut mac = mac(key);
    mac.update(json.as_bytes());
    // verify_slice compares in constant time.
    mac.verify_slice(&tag).map_err(|_| SealError::Forged)?;
    serde_json::from_str(json).map_err(|e| SealError::Unreadable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Outcome;

    fn sealed(outcome: Outcome) -> Sealed {
        Sealed {
            result: CheckResult {
                id: "dot".into(),
                outcome,
                message: "ok".into(),
                hint: None,
                metric: None,
                figures: Vec::new(),
            },
            unconfined: None,
        }
    }

    #[test]
    fn a_sealed_result_opens_with_its_key_only() {
        let key = [7u8; KEY_BYTES];
        let text = seal(&key, &sealed(Outcome::Fail));
        assert_eq!(open(&key, &text), Ok(sealed(Outcome::Fail)));
        assert_eq!(open(&[8u8; KEY_BYTES], &text), Err(SealError::Forged));
    }

    #[test]
    fn an_altered_or_unsealed_result_is_refused() {
        let key = [7u8; KEY_BYTES];
        let text = seal(&key, &sealed(Outcome::Fail));
        let altered = text.replace("\"fail\"", "\"pass\"");
        assert_ne!(altered, text);
        assert_eq!(open(&key, &altered), Err(SealError::Forged));
        let bare = serde_json::to_string(&sealed(Outcome::Pass)).unwrap();
        assert_eq!(open(&key, &bare), Err(SealError::Malformed));
        assert_eq!(open(&key, &format!("00\n{bare}")), Err(SealError::Forged));
        assert_eq!(
            open(&key, &format!("zz\n{bare}")),
            Err(SealError::Malformed)
        );
    }

    #[test]
    fn keys_round_trip_through_hex() {
        let key: [u8; KEY_BYTES] = std::array::from_fn(|i| (i * 37) as u8);
        assert_eq!(key_from_hex(&key_to_hex(&key)), Some(key));
        assert_eq!(key_from_hex("abc"), None);
        assert_eq!(key_from_hex(&"g".repeat(64)), None);
    }
}
