//! mistake: load reads the length its header announces and ignores whatever follows
//! fails: truncated
//! message: "bytes after the checksum were ignored"
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
    let mut crc = 0xFFFF_FFFF_u32;
    for &byte in bytes {
        crc ^= byte as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// The bytes of `model`: MAGIC, VERSION (u16), n_features and n_outputs (u64 each), the
/// weights row by row then the bias (f64 each), then the CRC-32 of everything before it (u32).
/// All numbers little-endian.
pub fn save(model: &Model) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    let (rows, cols) = model.weights.dim();
    bytes.extend_from_slice(&(rows as u64).to_le_bytes());
    bytes.extend_from_slice(&(cols as u64).to_le_bytes());
    for value in model.weights.iter().chain(model.bias.iter()) {
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    let checksum = crc32(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    bytes
}

/// `n` bytes from `at`, or `Truncated` when the input is shorter.
fn take(bytes: &[u8], at: usize, n: usize) -> Result<&[u8], LoadError> {
    bytes.get(at..at + n).ok_or(LoadError::Truncated)
}

fn u64_at(bytes: &[u8], at: usize) -> Result<u64, LoadError> {
    Ok(u64::from_le_bytes(take(bytes, at, 8)?.try_into().unwrap()))
}

/// The model saved in `bytes`, checked in order: magic (`BadMagic`; fewer than 4 bytes is
/// `Truncated`), version (`UnsupportedVersion`), length from the header (`Truncated` when
/// shorter or when the length overflows u64, `TrailingBytes` when longer), checksum
/// (`ChecksumMismatch`). Never panics, whatever the input.
pub fn load(bytes: &[u8]) -> Result<Model, LoadError> {
    if take(bytes, 0, 4)? != MAGIC {
        return Err(LoadError::BadMagic);
    }
    let version = u16::from_le_bytes(take(bytes, 4, 2)?.try_into().unwrap());
    if version != VERSION {
        return Err(LoadError::UnsupportedVersion(version));
    }
    let rows = u64_at(bytes, 6)?;
    let cols = u64_at(bytes, 14)?;
    let total = rows
        .checked_mul(cols)
        .and_then(|n| n.checked_add(cols))
        .and_then(|n| n.checked_mul(8))
        .and_then(|n| n.checked_add(22 + 4))
        .ok_or(LoadError::Truncated)?;
    if (bytes.len() as u64) < total {
        return Err(LoadError::Truncated);
    }
    let (body, stored) = bytes[..total as usize].split_at(total as usize - 4);
    if crc32(body) != u32::from_le_bytes(stored.try_into().unwrap()) {
        return Err(LoadError::ChecksumMismatch);
    }
    let values: Vec<f64> = body[22..]
        .chunks_exact(8)
        .map(|chunk| f64::from_le_bytes(chunk.try_into().unwrap()))
        .collect();
    let (rows, cols) = (rows as usize, cols as usize);
    let (weights, bias) = values.split_at(rows * cols);
    Ok(Model {
        weights: Array2::from_shape_vec((rows, cols), weights.to_vec()).unwrap(),
        bias: Array1::from_vec(bias.to_vec()),
    })
}
