// production/serialization: save a model to a versioned, checksummed byte format and load it back.
// `learnml show production/serialization` shows the full statement; `learnml check production/serialization` grades this file.

use ndarray::{Array1, Array2};

/// The first 4 bytes of every file.
pub const MAGIC: [u8; 4] = *b"LMLM";
/// The only format version this code reads and writes.
pub const VERSION: u16 = 1;

/// A linear model with several outputs: `x.dot(weights) + bias`.
/// `weights` is (n_features, n_outputs), `bias` has n_outputs values.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub weights: Array2<f64>,
    pub bias: Array1<f64>,
}

impl Model {
    /// Predictions for the rows of `x` (n_samples, n_features): (n_samples, n_outputs).
    pub fn predict(&self, x: &Array2<f64>) -> Array2<f64> {
        x.dot(&self.weights) + &self.bias
    }
}

/// Why `load` refused its input, checked in this order.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The first 4 bytes are not `MAGIC`.
    BadMagic,
    /// The version is not `VERSION` (the version read).
    UnsupportedVersion(u16),
    /// The input ends before the length its header announces (or before the header ends).
    Truncated,
    /// The input goes on after the checksum.
    TrailingBytes,
    /// The CRC-32 stored at the end is not that of the bytes before it.
    ChecksumMismatch,
}

/// CRC-32 (IEEE 802.3, as zlib, PNG and gzip): reflected polynomial 0xEDB88320, initial value
/// 0xFFFFFFFF, final XOR 0xFFFFFFFF. `crc32(b"123456789") == 0xCBF43926`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let _ = bytes;
    todo!("start at 0xFFFFFFFF, 8 shifts per byte with 0xEDB88320, end with !crc")
}

/// The bytes of `model`: MAGIC, VERSION (u16), n_features and n_outputs (u64 each), the
/// weights row by row then the bias (f64 each), then the CRC-32 of everything before it (u32).
/// All numbers little-endian.
pub fn save(model: &Model) -> Vec<u8> {
    let _ = model;
    todo!("magic, version, shapes, values, then the crc32 of all that")
}

/// The model saved in `bytes`, checked in order: magic (`BadMagic`; fewer than 4 bytes is
/// `Truncated`), version (`UnsupportedVersion`), length from the header (`Truncated` when
/// shorter or when the length overflows u64, `TrailingBytes` when longer), checksum
/// (`ChecksumMismatch`). Never panics, whatever the input.
pub fn load(bytes: &[u8]) -> Result<Model, LoadError> {
    let _ = bytes;
    todo!("check magic, version, length, checksum in that order; then read the values")
}
