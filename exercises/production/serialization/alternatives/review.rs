//! alternative: CRC by folds with a branch-free mask, save as one iterator chain, load through split_first_chunk with an explicit length comparison
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
    !bytes.iter().fold(u32::MAX, |crc, &b| {
        (0..8).fold(crc ^ u32::from(b), |c, _| {
            let mask = (c & 1).wrapping_neg();
            (c >> 1) ^ (0xEDB8_8320 & mask)
        })
    })
}

/// The bytes of `model`: MAGIC, VERSION (u16), n_features and n_outputs (u64 each), the
/// weights row by row then the bias (f64 each), then the CRC-32 of everything before it (u32).
/// All numbers little-endian.
pub fn save(model: &Model) -> Vec<u8> {
    let (rows, cols) = model.weights.dim();
    let mut out: Vec<u8> = MAGIC
        .iter()
        .copied()
        .chain(VERSION.to_le_bytes())
        .chain((rows as u64).to_le_bytes())
        .chain((cols as u64).to_le_bytes())
        .chain(model.weights.iter().flat_map(|v| v.to_le_bytes()))
        .chain(model.bias.iter().flat_map(|v| v.to_le_bytes()))
        .collect();
    let crc = crc32(&out);
    out.extend(crc.to_le_bytes());
    out
}

/// Takes the first `N` bytes of `rest`, or `Truncated`.
fn take<const N: usize>(rest: &mut &[u8]) -> Result<[u8; N], LoadError> {
    let (head, tail) = rest.split_first_chunk::<N>().ok_or(LoadError::Truncated)?;
    *rest = tail;
    Ok(*head)
}

/// The model saved in `bytes`, checked in order: magic (`BadMagic`; fewer than 4 bytes is
/// `Truncated`), version (`UnsupportedVersion`), length from the header (`Truncated` when
/// shorter or when the length overflows u64, `TrailingBytes` when longer), checksum
/// (`ChecksumMismatch`). Never panics, whatever the input.
pub fn load(bytes: &[u8]) -> Result<Model, LoadError> {
    let mut rest = bytes;
    if take::<4>(&mut rest)? != MAGIC {
        return Err(LoadError::BadMagic);
    }
    let version = u16::from_le_bytes(take::<2>(&mut rest)?);
    if version != VERSION {
        return Err(LoadError::UnsupportedVersion(version));
    }
    let rows = u64::from_le_bytes(take::<8>(&mut rest)?);
    let cols = u64::from_le_bytes(take::<8>(&mut rest)?);
    let values = rows
        .checked_mul(cols)
        .and_then(|w| w.checked_add(cols))
        .ok_or(LoadError::Truncated)?;
    let total = values
        .checked_mul(8)
        .and_then(|v| v.checked_add(4 + 2 + 16 + 4))
        .ok_or(LoadError::Truncated)?;
    match (bytes.len() as u64).cmp(&total) {
        std::cmp::Ordering::Less => return Err(LoadError::Truncated),
        std::cmp::Ordering::Greater => return Err(LoadError::TrailingBytes),
        std::cmp::Ordering::Equal => {}
    }
    let (body, stored) = bytes.split_at(bytes.len() - 4);
    if u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]) != crc32(body) {
        return Err(LoadError::ChecksumMismatch);
    }
    let mut floats = Vec::with_capacity(values as usize);
    for _ in 0..values {
        floats.push(f64::from_le_bytes(take::<8>(&mut rest)?));
    }
    let bias = Array1::from(floats.split_off((rows * cols) as usize));
    let weights = Array2::from_shape_vec((rows as usize, cols as usize), floats)
        .map_err(|_| LoadError::Truncated)?;
    Ok(Model { weights, bias })
}
