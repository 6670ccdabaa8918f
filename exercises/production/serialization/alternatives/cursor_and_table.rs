//! alternative: a table-driven CRC-32, a reading cursor, and length checks before each read
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

fn table() -> [u32; 256] {
    let mut table = [0u32; 256];
    for (n, entry) in table.iter_mut().enumerate() {
        let mut c = n as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *entry = c;
    }
    table
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let table = table();
    let crc = bytes.iter().fold(u32::MAX, |crc, &b| {
        table[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8)
    });
    crc ^ u32::MAX
}

pub fn save(model: &Model) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(MAGIC);
    out.extend(VERSION.to_le_bytes());
    out.extend((model.weights.nrows() as u64).to_le_bytes());
    out.extend((model.weights.ncols() as u64).to_le_bytes());
    for row in model.weights.rows() {
        for v in row {
            out.extend(v.to_le_bytes());
        }
    }
    for v in &model.bias {
        out.extend(v.to_le_bytes());
    }
    out.extend(crc32(&out).to_le_bytes());
    out
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn read<const N: usize>(&mut self) -> Result<[u8; N], LoadError> {
        if self.bytes.len() - self.at < N {
            return Err(LoadError::Truncated);
        }
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[self.at..self.at + N]);
        self.at += N;
        Ok(out)
    }
}

pub fn load(bytes: &[u8]) -> Result<Model, LoadError> {
    let mut cursor = Cursor { bytes, at: 0 };
    if cursor.read::<4>()? != MAGIC {
        return Err(LoadError::BadMagic);
    }
    let version = u16::from_le_bytes(cursor.read()?);
    if version != VERSION {
        return Err(LoadError::UnsupportedVersion(version));
    }
    let rows = u64::from_le_bytes(cursor.read()?) as u128;
    let cols = u64::from_le_bytes(cursor.read()?) as u128;
    // in u128, rows * cols fits whenever it is checked: only the product can overflow
    let values = rows.checked_mul(cols).and_then(|n| n.checked_add(cols));
    let total = values.and_then(|n| n.checked_mul(8)).map(|n| n + 26);
    match total {
        Some(t) if t == bytes.len() as u128 => {}
        Some(t) if t < bytes.len() as u128 => return Err(LoadError::TrailingBytes),
        _ => return Err(LoadError::Truncated),
    }
    let end = bytes.len() - 4;
    let stored = u32::from_le_bytes([bytes[end], bytes[end + 1], bytes[end + 2], bytes[end + 3]]);
    if stored != crc32(&bytes[..end]) {
        return Err(LoadError::ChecksumMismatch);
    }
    let (rows, cols) = (rows as usize, cols as usize);
    let mut weights = Array2::zeros((rows, cols));
    for i in 0..rows {
        for j in 0..cols {
            weights[[i, j]] = f64::from_le_bytes(cursor.read()?);
        }
    }
    let mut bias = Array1::zeros(cols);
    for j in 0..cols {
        bias[j] = f64::from_le_bytes(cursor.read()?);
    }
    Ok(Model { weights, bias })
}
