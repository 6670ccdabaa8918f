// Grader of production/serialization.

use std::panic::{self, AssertUnwindSafe};

use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2};
use rand::Rng;

use super::exercise::{LoadError, Model, crc32, load, save};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("crc32", check_crc32),
    ("format", check_format),
    ("round_trip", check_round_trip),
    ("corruption", check_corruption),
    ("truncated", check_truncated),
];

const HEADER: usize = 4 + 2 + 8 + 8;

/// The grader's CRC-32, bit by bit: reflected polynomial 0xEDB88320, `init` then `xor_out`.
fn my_crc(bytes: &[u8], init: u32, xor_out: u32) -> u32 {
    let mut crc = init;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            if crc & 1 == 1 {
                crc = (crc >> 1) ^ 0xEDB8_8320;
            } else {
                crc >>= 1;
            }
        }
    }
    crc ^ xor_out
}

/// The same polynomial, not reflected (MSB first, as in CRC-32/BZIP2 without the reflection).
fn crc_msb_first(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &b in bytes {
        crc ^= (b as u32) << 24;
        for _ in 0..8 {
            if crc & 0x8000_0000 != 0 {
                crc = (crc << 1) ^ 0x04C1_1DB7;
            } else {
                crc <<= 1;
            }
        }
    }
    !crc
}

fn crc(bytes: &[u8]) -> u32 {
    my_crc(bytes, 0xFFFF_FFFF, 0xFFFF_FFFF)
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Stated,
    BigEndian,
    ColumnMajor,
}

/// The grader's encoding of a model (the stated layout, or a wrong one to name).
fn encode(weights: &Array2<f64>, bias: &Array1<f64>, version: u16, layout: Layout) -> Vec<u8> {
    let (rows, cols) = weights.dim();
    let big = layout == Layout::BigEndian;
    let mut out = b"LMLM".to_vec();
    out.extend(if big {
        version.to_be_bytes()
    } else {
        version.to_le_bytes()
    });
    for n in [rows as u64, cols as u64] {
        out.extend(if big {
            n.to_be_bytes()
        } else {
            n.to_le_bytes()
        });
    }
    let mut values = Vec::new();
    if layout == Layout::ColumnMajor {
        for j in 0..cols {
            for i in 0..rows {
                values.push(weights[[i, j]]);
            }
        }
    } else {
        for i in 0..rows {
            for j in 0..cols {
                values.push(weights[[i, j]]);
            }
        }
    }
    values.extend(bias.iter().copied());
    for v in values {
        out.extend(if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        });
    }
    let c = crc(&out);
    out.extend(if big {
        c.to_be_bytes()
    } else {
        c.to_le_bytes()
    });
    out
}

fn stated(m: &Model) -> Vec<u8> {
    encode(&m.weights, &m.bias, 1, Layout::Stated)
}

/// Seeded models of several shapes, plus one of special values and one with no features.
fn models() -> Vec<(String, Model)> {
    let mut rng = split::rng(4242);
    let mut all = Vec::new();
    for (rows, cols) in [(3, 2), (5, 1), (1, 1), (4, 3), (7, 2)] {
        let weights = Array2::from_shape_fn((rows, cols), |_| rng.gen_range(-10.0..10.0));
        let bias = Array1::from_shape_fn(cols, |_| rng.gen_range(-1.0..1.0));
        all.push((
            format!("a seeded {rows} x {cols} model"),
            Model { weights, bias },
        ));
    }
    let special = Model {
        weights: Array2::from_shape_vec(
            (2, 3),
            vec![
                -0.0,
                0.1,
                f64::INFINITY,
                f64::NEG_INFINITY,
                5e-324,
                1.0 / 3.0,
            ],
        )
        .expect("6 values for 2 x 3"),
        bias: Array1::from_vec(vec![
            f64::MAX,
            -1e-300,
            f64::from_bits(0x7FF8_0000_0000_0123),
        ]),
    };
    all.push((
        "a 2 x 3 model of special values (-0, 0.1, inf, subnormal, MAX, a NaN with a payload)"
            .into(),
        special,
    ));
    all.push((
        "a model with 0 features and 2 outputs".into(),
        Model {
            weights: Array2::zeros((0, 2)),
            bias: Array1::from_vec(vec![0.25, -4.0]),
        },
    ));
    all
}

/// Which field of the stated layout holds byte `at`.
fn region(at: usize, rows: usize, cols: usize) -> String {
    let values = HEADER + 8 * rows * cols;
    match at {
        0..4 => "the magic".into(),
        4..6 => "the version".into(),
        6..14 => "n_features".into(),
        14..22 => "n_outputs".into(),
        _ if at < values => {
            let k = (at - HEADER) / 8;
            format!("weights[{}, {}]", k / cols, k % cols)
        }
        _ if at < values + 8 * cols => format!("bias[{}]", (at - values) / 8),
        _ => "the checksum".into(),
    }
}

/// The learner's `load`, with a panic turned into a failure that names the input (a `todo!()`
/// goes on to the harness, which reports the check as not attempted).
fn try_load(what: &str, bytes: &[u8]) -> Result<Result<Model, LoadError>, Failed> {
    let input = bytes.to_vec();
    match panic::catch_unwind(AssertUnwindSafe(|| load(&input))) {
        Ok(result) => Ok(result),
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if text.starts_with("not yet implemented") || text.starts_with("not implemented") {
                panic::resume_unwind(payload);
            }
            Err(fail(format!(
                "{what}: load panicked ({text}); it must return an Err for any input, never panic"
            )))
        }
    }
}

fn check_crc32() -> Graded {
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        ("b\"123456789\"".into(), b"123456789".to_vec()),
        ("b\"\" (empty)".into(), Vec::new()),
        ("b\"LMLM\"".into(), b"LMLM".to_vec()),
    ];
    let mut rng = split::rng(32);
    for n in [1, 7, 64, 301] {
        let bytes: Vec<u8> = (0..n).map(|_| rng.r#gen()).collect();
        inputs.push((format!("{n} seeded random bytes"), bytes));
    }
    for (what, bytes) in &inputs {
        let got = crc32(bytes);
        let expected = crc(bytes);
        if got == expected {
            continue;
        }
        let why = if got == my_crc(bytes, 0xFFFF_FFFF, 0) {
            ": the final XOR with 0xFFFFFFFF is missing"
        } else if got == my_crc(bytes, 0, 0xFFFF_FFFF) {
            ": the register starts at 0 instead of 0xFFFFFFFF"
        } else if got == crc_msb_first(bytes) {
            ": computed MSB first with 0x04C11DB7; the IEEE CRC-32 is reflected (LSB first, 0xEDB88320)"
        } else {
            ""
        };
        return Err(fail(format!(
            "crc32({what}): expected {expected:#010X}, got {got:#010X}{why}"
        )))
        .hint("start at 0xFFFFFFFF; per byte: crc ^= byte, then 8 times: shift right, XOR 0xEDB88320 if the bit shifted out was 1; end with !crc");
    }
    pass("CRC-32 (IEEE) of 7 inputs, including the check value crc32(\"123456789\") = 0xCBF43926")
}

fn check_format() -> Graded {
    for (what, m) in models() {
        let got = save(&m);
        let expected = stated(&m);
        if got == expected {
            continue;
        }
        let (rows, cols) = m.weights.dim();
        let n_values = rows * cols + cols;
        let what = format!("save({what})");
        if got.len() + 4 * n_values == expected.len() {
            return Err(fail(format!(
                "{what}: {} bytes, expected {}: 4 bytes short per value, values written as f32; \
                 the format stores f64 (8 bytes) so that predictions are bit-identical after loading",
                got.len(),
                expected.len()
            )));
        }
        if got == encode(&m.weights, &m.bias, 1, Layout::BigEndian) {
            return Err(fail(format!(
                "{what}: the numbers are written big-endian; the format is little-endian (`to_le_bytes`)"
            )));
        }
        if got == encode(&m.weights, &m.bias, 1, Layout::ColumnMajor) {
            return Err(fail(format!(
                "{what}: the weights are written column by column; the format is row by row"
            )));
        }
        if got.len() + 4 == expected.len() && got[..] == expected[..got.len()] {
            return Err(fail(format!(
                "{what}: the 4 bytes of the CRC-32 are missing at the end"
            )));
        }
        let body = expected.len() - 4;
        if got.len() == expected.len() && got[..body] == expected[..body] {
            let stored =
                u32::from_le_bytes([got[body], got[body + 1], got[body + 2], got[body + 3]]);
            let why = if stored == my_crc(&got[..body], 0xFFFF_FFFF, 0) {
                "the final XOR with 0xFFFFFFFF is missing"
            } else if stored == my_crc(&got[..body], 0, 0xFFFF_FFFF) {
                "the register starts at 0 instead of 0xFFFFFFFF"
            } else if stored.swap_bytes() == crc(&got[..body]) {
                "the checksum is written big-endian"
            } else {
                "it is not the CRC-32 of all the bytes before it (magic and header included)"
            };
            return Err(fail(format!(
                "{what}: every byte is right but the checksum: {why}"
            )));
        }
        equal(
            &format!("{what}: length in bytes"),
            &got.len(),
            &expected.len(),
        )
        .hint("22 header bytes, 8 per value, 4 of checksum")?;
        let at = (0..got.len())
            .find(|&i| got[i] != expected[i])
            .unwrap_or_default();
        return Err(fail(format!(
            "{what}: byte {at} (in {}) is {:#04X}, expected {:#04X}",
            region(at, rows, cols),
            got[at],
            expected[at]
        )))
        .hint("magic, version u16, n_features and n_outputs u64, weights row by row, bias, then crc32 of all of that; little-endian");
    }
    pass("save writes the stated layout byte for byte for 7 models")
}

/// The loaded model must hold the very same bits, and predict the same bits.
fn same_model(what: &str, got: &Model, expected: &Model) -> Result<(), Failed> {
    equal(
        &format!("{what}: weights shape"),
        &got.weights.dim(),
        &expected.weights.dim(),
    )?;
    equal(
        &format!("{what}: bias length"),
        &got.bias.len(),
        &expected.bias.len(),
    )?;
    let pairs = expected
        .weights
        .indexed_iter()
        .map(|((i, j), e)| (format!("weights[{i}, {j}]"), got.weights[[i, j]], *e))
        .chain(
            expected
                .bias
                .iter()
                .enumerate()
                .map(|(j, e)| (format!("bias[{j}]"), got.bias[j], *e)),
        );
    for (name, g, e) in pairs {
        if g.to_bits() != e.to_bits() {
            let narrowed = (e as f32 as f64).to_bits() == g.to_bits();
            return Err(fail(format!(
                "{what}: {name} is {g:e}, saved as {e:e}{}",
                if narrowed {
                    ": narrowed to f32 on the way; keep all 8 bytes of each f64"
                } else {
                    ": not the same bits"
                }
            )));
        }
    }
    // Predictions of both models on seeded inputs: the same bits in, the same bits out.
    let mut rng = split::rng(7);
    let x = Array2::from_shape_fn((4, expected.weights.nrows()), |_| rng.gen_range(-3.0..3.0));
    let (a, b) = (expected.predict(&x), got.predict(&x));
    for (p, q) in a.iter().zip(b.iter()) {
        ensure(p.to_bits() == q.to_bits(), || {
            format!("{what}: a prediction differs after loading ({q:e} vs {p:e})")
        })?;
    }
    Ok(())
}

/// A valid file refused: what the error says about the reader.
fn valid_refused(label: &str, e: LoadError) -> Failed {
    let why = match e {
        LoadError::ChecksumMismatch => {
            ": the stored CRC-32 covers every byte before it (magic and header included), and is \
             read little-endian"
        }
        LoadError::Truncated | LoadError::TrailingBytes => {
            ": the length is 22 header bytes + 8 per value (n_features x n_outputs weights and \
             n_outputs biases) + 4 of checksum"
        }
        _ => "",
    };
    fail(format!("{label}: gave Err({e:?}) on a valid file{why}"))
}

fn check_round_trip() -> Graded {
    for (what, m) in models() {
        let saved = save(&m);
        let label = format!("load(save({what}))");
        match try_load(&label, &saved)? {
            Ok(back) => same_model(&label, &back, &m)?,
            Err(e) => return Err(valid_refused(&label, e)),
        }
        // The grader's own bytes: load must parse the format, not remember what save saw.
        let label = format!("load(the grader's bytes of {what})");
        match try_load(&label, &stated(&m))? {
            Ok(back) => same_model(&label, &back, &m)?,
            Err(e) => {
                return Err(valid_refused(&label, e))
                    .hint("read little-endian, the weights row by row, then the bias");
            }
        }
    }
    // Models that `save` never saw, from the grader's bytes only: nothing to remember.
    let mut rng = split::rng(777);
    for (rows, cols) in [(2, 3), (6, 1), (3, 4)] {
        let m = Model {
            weights: Array2::from_shape_fn((rows, cols), |_| rng.gen_range(-50.0..50.0)),
            bias: Array1::from_shape_fn(cols, |_| rng.gen_range(-5.0..5.0)),
        };
        let label = format!("load(the grader's bytes of a {rows} x {cols} model save never saw)");
        match try_load(&label, &stated(&m))? {
            Ok(back) => same_model(&label, &back, &m)?,
            Err(e) => {
                return Err(valid_refused(&label, e))
                    .hint("read little-endian, the weights row by row, then the bias");
            }
        }
    }
    pass(
        "7 models (and 3 that save never saw) load back with the same bits (also -0, NaN payload, subnormals) and the same predictions",
    )
}

/// `load` must refuse `bytes` with `expected`.
fn refuses(
    what: &str,
    bytes: &[u8],
    expected: LoadError,
    accepted_why: &str,
) -> Result<(), Failed> {
    match try_load(what, bytes)? {
        Ok(_) => Err(fail(format!(
            "{what}: load accepted it, expected Err({expected:?}){accepted_why}"
        ))),
        Err(e) if e == expected => Ok(()),
        Err(e) => Err(fail(format!(
            "{what}: expected Err({expected:?}), got Err({e:?}) (the checks go in order: magic, \
             version, length, checksum)"
        ))),
    }
}

fn check_corruption() -> Graded {
    let mut rng = split::rng(99);
    for (what, m) in models().into_iter().take(5) {
        let good = stated(&m);
        let (rows, cols) = m.weights.dim();
        // Another format entirely (text): the magic is what tells it apart.
        let mut text = b"{\"weights\": [[".to_vec();
        text.extend_from_slice(&good[..8]);
        refuses(
            &format!("a JSON file instead of {what}"),
            &text,
            LoadError::BadMagic,
            "",
        )?;
        let mut bad = good.clone();
        bad[rng.gen_range(0..4)] ^= 0x20;
        refuses(
            &format!("{what} with a byte of the magic changed"),
            &bad,
            LoadError::BadMagic,
            "",
        )?;
        // A newer version, with its checksum recomputed: only the version tells.
        for version in [2u16, 0, 513] {
            let newer = encode(&m.weights, &m.bias, version, Layout::Stated);
            refuses(
                &format!("{what} written as version {version} (checksum valid)"),
                &newer,
                LoadError::UnsupportedVersion(version),
                ": an unknown version was accepted; a reader must refuse the versions it does not know",
            )?;
        }
        // One bit flipped in a value or in the checksum, length intact.
        for _ in 0..6 {
            let mut flipped = good.clone();
            let at = rng.gen_range(HEADER..good.len());
            flipped[at] ^= 1 << rng.gen_range(0..8);
            refuses(
                &format!("{what} with one bit flipped in {}", region(at, rows, cols)),
                &flipped,
                LoadError::ChecksumMismatch,
                ": the checksum was not verified, so a corrupted model would have been served",
            )?;
        }
    }
    pass(
        "bad magic, unknown versions (2, 0, 513) and 30 flipped bits all refused with the right error",
    )
}

fn check_truncated() -> Graded {
    for (what, m) in models().into_iter().take(3) {
        let good = stated(&m);
        let (rows, cols) = m.weights.dim();
        for n in 0..good.len() {
            refuses(
                &format!(
                    "the first {n} of the {} bytes of {what} (truncated)",
                    good.len()
                ),
                &good[..n],
                LoadError::Truncated,
                ": it cut off a file and still loaded",
            )?;
        }
        let mut longer = good.clone();
        longer.push(0);
        refuses(
            &format!("{what} with one byte appended"),
            &longer,
            LoadError::TrailingBytes,
            ": the bytes after the checksum were ignored; an input longer than its header announces \
             (two files glued, a wrong header) is refused with TrailingBytes",
        )?;
        // A header announcing a huge shape: the length must be computed without overflow.
        for huge in [1u64 << 40, u64::MAX, (1u64 << 61) + 1] {
            let mut lying = good.clone();
            lying[6..14].copy_from_slice(&huge.to_le_bytes());
            let c = crc(&lying[..lying.len() - 4]);
            let end = lying.len() - 4;
            lying[end..].copy_from_slice(&c.to_le_bytes());
            refuses(
                &format!(
                    "{what} whose header says n_features = {huge} (rows {rows}, cols {cols} really)"
                ),
                &lying,
                LoadError::Truncated,
                "",
            )?;
        }
    }
    pass(
        "every prefix of 3 files, an appended byte and headers announcing huge shapes refused without a panic",
    )
}
