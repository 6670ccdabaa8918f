// Grader of vision/image_histogram.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array2, array};
use rand::Rng as _;

use super::exercise::{cdf, equalize, histogram, standardize, to_unit, unit_histogram};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("normalize", check_normalize),
    ("histogram_cdf", check_histogram_cdf),
    ("unit_histogram", check_unit_histogram),
    ("equalize", check_equalize),
    ("equalize_real", check_equalize_real),
];

/// Fashion-MNIST rows (28 x 28 images, 0-255) with their class names.
fn fashion(rows: &[usize]) -> Result<Vec<(Array2<u8>, String)>, Failed> {
    let table = Table::dataset("fashion_mnist_500.csv").map_err(|e| {
        fail(format!(
            "the grader could not load fashion_mnist_500.csv: {e}"
        ))
    })?;
    let pixels = table.columns_except(&["label"]);
    let x = table
        .numeric(&pixels)
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?;
    let labels = table
        .text_column("label")
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?;
    Ok(rows
        .iter()
        .map(|&r| {
            let img = Array2::from_shape_fn((28, 28), |(i, j)| x[[r, 28 * i + j]] as u8);
            (img, labels[r].unwrap_or("?").to_string())
        })
        .collect())
}

/// A seeded random image of `shape` with grey levels in `lo..=hi`.
fn random_image(seed: u64, shape: (usize, usize), lo: u8, hi: u8) -> Array2<u8> {
    let mut r = rng(seed);
    Array2::from_shape_fn(shape, |_| r.gen_range(lo..=hi))
}

/// The grader's own histogram, with a loop.
fn my_histogram(img: &Array2<u8>) -> Vec<usize> {
    let mut h = vec![0usize; 256];
    for &v in img.iter() {
        h[v as usize] += 1;
    }
    h
}

fn my_cdf(h: &[usize]) -> Vec<usize> {
    let mut c = Vec::with_capacity(h.len());
    let mut total = 0;
    for &x in h {
        total += x;
        c.push(total);
    }
    c
}

fn finite(what: &str, m: &Array2<f64>) -> Result<(), Failed> {
    match m.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((i, j), v)) => Err(fail(format!("{what}[{i}, {j}] = {v}: not a finite number"))),
        None => Ok(()),
    }
}

fn near(a: &Array2<f64>, b: &Array2<f64>, tol: f64) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

fn check_normalize() -> Graded {
    let img: Array2<u8> = array![[0, 51], [102, 255]];
    let got = to_unit(&img);
    let expected = img.mapv(|v| v as f64 / 255.0);
    if near(&got, &img.mapv(|v| v as f64 / 256.0), 1e-12) {
        return Err(fail(
            "to_unit divided by 256: the brightest level 255 must map to 1.0, so divide by 255",
        ));
    }
    matrix_close("to_unit([[0, 51], [102, 255]])", &got, &expected, 1e-12)
        .hint("divide each grey level by 255: `img.mapv(|v| f64::from(v) / 255.0)`")?;

    // [[1, 2], [3, 4]]: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; population
    // std sqrt(5 / 4), sample std sqrt(5 / 3).
    let small = array![[1.0, 2.0], [3.0, 4.0]];
    let mut cases = vec![("[[1, 2], [3, 4]]".to_string(), small)];
    for seed in 0..3 {
        let shape = (5 + seed as usize, 7);
        cases.push((
            format!("a random {}x{} image (seed {seed})", shape.0, shape.1),
            random_image(100 + seed, shape, 20, 230).mapv(|v| v as f64 / 255.0),
        ));
    }
    let (real, label) = fashion(&[0])?.remove(0);
    cases.push((
        format!("Fashion-MNIST image 0 ({label}) / 255"),
        real.mapv(|v| v as f64 / 255.0),
    ));
    for (name, x) in &cases {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let ss: f64 = x.iter().map(|v| (v - mean).powi(2)).sum();
        let expected = x.mapv(|v| (v - mean) / (ss / n).sqrt());
        let sample = x.mapv(|v| (v - mean) / (ss / (n - 1.0)).sqrt());
        let got = standardize(x);
        let what = format!("standardize({name})");
        equal(&format!("{what}: shape"), &got.dim(), &x.dim())?;
        finite(&what, &got)?;
        if near(&got, &sample, 1e-9) {
            return Err(fail(format!(
                "{what} divided by the sample standard deviation (n - 1): the population \
                 standard deviation (divide by n) was asked"
            )))
            .hint("std = sqrt(sum of squared deviations / n), numpy's np.std default (ddof = 0)");
        }
        matrix_close(&what, &got, &expected, 1e-9)
            .hint("subtract the mean of all pixels, divide by their population std")?;
    }
    let flat = Array2::from_elem((3, 4), 0.4);
    let got = standardize(&flat);
    equal(
        "standardize(a constant 3x4 image): shape",
        &got.dim(),
        &(3, 4),
    )?;
    finite("standardize(a constant image)", &got)
        .hint("a constant image has std 0: return zeros instead of dividing by 0")?;
    if got.iter().any(|v| v.abs() > 0.5) {
        return Err(fail(format!(
            "standardize(a constant 3x4 image of 0.4) gave {}: the mean 0.4 * 12 / 12 is not \
             exactly 0.4 in floating point, so the std came out tiny but not 0 and the rounding \
             noise was blown up; treat a std below 1e-10 as 0",
            fmt(got[[0, 0]])
        )))
        .hint("`if std < 1e-10 { return Array2::zeros(img.dim()); }`");
    }
    matrix_close(
        "standardize(a constant image)",
        &got,
        &Array2::zeros((3, 4)),
        1e-12,
    )?;
    pass(
        "to_unit divides by 255; standardize uses the population std, and a constant image gives zeros",
    )
}

fn check_histogram_cdf() -> Graded {
    // No 255 in this image, so a 255-bin histogram can be caught before it overflows.
    let img: Array2<u8> = array![[0, 3, 3], [7, 254, 3]];
    let h = histogram(&img);
    if h.len() == 255 {
        return Err(fail(
            "histogram gave 255 bins: a u8 image has 256 grey levels, 0..=255 (u8::MAX + 1)",
        ))
        .hint("`vec![0; 256]`, and count pixel v in h[v]");
    }
    equal("histogram: number of bins", &h.len(), &256)?;
    equal(
        "histogram([[0, 3, 3], [7, 254, 3]]): bins 0, 3, 7, 254",
        &(h[0], h[3], h[7], h[254]),
        &(1, 3, 1, 1),
    )
    .hint("h[v] counts the pixels equal to v")?;
    for seed in 0..4 {
        let shape = (6 + 3 * seed as usize, 9);
        let img = random_image(200 + seed, shape, 0, 255);
        let expected = my_histogram(&img);
        let got = histogram(&img);
        let what = format!(
            "histogram(random {}x{} image, seed {seed})",
            shape.0, shape.1
        );
        equal(&format!("{what}: number of bins"), &got.len(), &256)?;
        equal(
            &format!("{what}: total count"),
            &got.iter().sum::<usize>(),
            &img.len(),
        )
        .hint("every pixel falls in exactly one bin")?;
        for v in 0..256 {
            equal(&format!("{what}: bin {v}"), &got[v], &expected[v])?;
        }
    }
    let h = [2, 0, 3, 1];
    let got = cdf(&h);
    if got == [0, 2, 2, 5] {
        return Err(fail(
            "cdf([2, 0, 3, 1]) = [0, 2, 2, 5]: an exclusive sum; c[v] includes h[v] itself",
        ))
        .hint("c[v] = h[0] + ... + h[v]: the last value is the number of pixels");
    }
    equal("cdf([2, 0, 3, 1])", &got, &vec![2, 2, 5, 6])?;
    let img = random_image(250, (11, 13), 30, 220);
    let h = my_histogram(&img);
    equal(
        "cdf(histogram of a random 11x13 image)",
        &cdf(&h),
        &my_cdf(&h),
    )?;
    pass("256 bins that count every pixel; the CDF is the inclusive running sum")
}

fn check_unit_histogram() -> Graded {
    // 4 and 16 are prime to 255 = 3 * 5 * 17, so no v / 255 but 0 and 1 falls on a bin edge.
    for (seed, bins) in [(0u64, 4usize), (1, 16), (2, 4)] {
        let mut u8img = random_image(300 + seed, (8, 10), 0, 255);
        u8img[[0, 0]] = 255;
        u8img[[1, 1]] = 0;
        let x = u8img.mapv(|v| v as f64 / 255.0);
        let mut expected = vec![0usize; bins];
        let mut centres = vec![0usize; bins];
        let mut open_last = vec![0usize; bins];
        for &v in u8img.iter() {
            // Bin of v / 255 in [k / bins, (k + 1) / bins), exactly in integers.
            let k = (v as usize * bins / 255).min(bins - 1);
            expected[k] += 1;
            if v < 255 {
                open_last[k] += 1;
            }
            centres[(v as usize * (bins - 1) * 2 + 255) / 510] += 1;
        }
        let got = unit_histogram(&x, bins);
        let what = format!("unit_histogram(a random 8x10 image / 255, {bins} bins)");
        equal(&format!("{what}: number of bins"), &got.len(), &bins)?;
        if got == open_last {
            return Err(fail(format!(
                "{what}: the pixels equal to 1.0 were not counted: numpy's last bin is closed, \
                 [1 - 1/bins, 1]"
            )))
            .hint("bin = floor(x * bins), then put 1.0 (bin = bins) in the last bin");
        }
        if got == centres {
            return Err(fail(format!(
                "{what}: got {got:?}, expected {expected:?}: the bins were centred on \
                 k / (bins - 1) (round(x * (bins - 1))); numpy's bin edges are k / bins \
                 (floor(x * bins))"
            )))
            .hint("np.histogram(x, bins, range=(0, 1)): bin i holds [i / bins, (i + 1) / bins)");
        }
        equal(&what, &got, &expected)
            .hint("bin i holds [i / bins, (i + 1) / bins); 1.0 goes to the last bin")?;
    }
    let u8img = random_image(310, (12, 12), 0, 255);
    let got = unit_histogram(&u8img.mapv(|v| v as f64 / 255.0), 256);
    equal(
        "unit_histogram(image / 255, 256 bins), which equals the u8 histogram",
        &got,
        &my_histogram(&u8img),
    )?;
    pass("numpy's bin edges k / bins with the last bin closed; 256 bins match the u8 histogram")
}

/// The LUT of `equalize` as ranges: `num / den` rounded to the nearest, both neighbours at an
/// exact half (OpenCV rounds halves to even, Rust's `round` away from zero). `floor` gives the
/// truncated value instead.
fn lut_ranges(img: &Array2<u8>, c_min_of: CMin, denominator_n: bool, floor: bool) -> Vec<(u8, u8)> {
    let c = my_cdf(&my_histogram(img));
    let n = img.len();
    let first = c.iter().copied().find(|&x| x > 0).unwrap_or(0);
    let c_min = match c_min_of {
        CMin::First => first,
        CMin::Zero => 0,
    };
    if n == first {
        return (0..256).map(|v| (v as u8, v as u8)).collect();
    }
    let den = if denominator_n { n } else { n - c_min };
    c.iter()
        .map(|&x| {
            let num = x.saturating_sub(c_min) * 255;
            let (q, r) = (num / den, num % den);
            let (lo, hi) = if floor || 2 * r < den {
                (q, q)
            } else if 2 * r > den {
                (q + 1, q + 1)
            } else {
                (q, q + 1)
            };
            (lo.min(255) as u8, hi.min(255) as u8)
        })
        .collect()
}

#[derive(Clone, Copy)]
enum CMin {
    First,
    Zero,
}

/// The first pixel whose value is outside its allowed range, if any.
fn first_miss(img: &Array2<u8>, got: &Array2<u8>, lut: &[(u8, u8)]) -> Option<(usize, usize)> {
    img.indexed_iter()
        .find(|&((i, j), &v)| {
            let (lo, hi) = lut[v as usize];
            got[[i, j]] < lo || got[[i, j]] > hi
        })
        .map(|(at, _)| at)
}

/// Compare `equalize(img)` with OpenCV's convention, naming the classic mistakes.
fn equalize_case(what: &str, img: &Array2<u8>) -> Result<(), Failed> {
    let got = equalize(img);
    equal(&format!("{what}: shape"), &got.dim(), &img.dim())?;
    let lut = lut_ranges(img, CMin::First, false, false);
    let Some((i, j)) = first_miss(img, &got, &lut) else {
        return Ok(());
    };
    let v = img[[i, j]] as usize;
    let named = [
        (
            lut_ranges(img, CMin::Zero, false, false),
            "c_min was not subtracted (round(c[v] * 255 / N)), so the darkest level is not \
             mapped to 0",
        ),
        (
            lut_ranges(img, CMin::First, false, true),
            "rounded down (floor, or integer division) instead of to the nearest",
        ),
        (
            lut_ranges(img, CMin::First, true, false),
            "divided by N instead of N - c_min, so the brightest level is not mapped to 255",
        ),
    ];
    let base = format!(
        "{what}: pixel [{i}, {j}] (grey level {v}) became {}, expected lut[{v}] = {}",
        got[[i, j]],
        lut[v].0
    );
    for (wrong, why) in named {
        if first_miss(img, &got, &wrong).is_none() {
            return Err(fail(format!("{base}: {why}"))).hint(
                "lut[v] = round((c[v] - c_min) * 255 / (N - c_min)), c_min the first non-zero c[v]",
            );
        }
    }
    Err(fail(base))
        .hint("lut[v] = round((c[v] - c_min) * 255 / (N - c_min)), c_min the first non-zero c[v]")
}

fn check_equalize() -> Graded {
    // N = 5, c_min = 2: lut[100] = 255 / 3 = 85, lut[150] = 170, lut[200] = 255.
    equalize_case(
        "equalize([[50, 50, 100, 150, 200]])",
        &array![[50, 50, 100, 150, 200]],
    )?;
    // N = 8, c_min = 1: k * 255 / 7 = 0, 36.4, 72.9, 109.3, 145.7, 182.1, 218.6, 255.
    equalize_case(
        "equalize([[10, 20, 30, 40], [50, 60, 70, 80]])",
        &array![[10, 20, 30, 40], [50, 60, 70, 80]],
    )?;
    let flat = Array2::from_elem((3, 3), 77u8);
    let got = equalize(&flat);
    equal(
        "equalize(a constant 3x3 image of 77): shape",
        &got.dim(),
        &(3, 3),
    )?;
    ensure(got == flat, || {
        format!(
            "equalize(a constant 3x3 image of 77) gave {:?}: OpenCV returns a constant image \
             unchanged (N - c_min = 0)",
            got.iter().take(9).collect::<Vec<_>>()
        )
    })
    .hint("when c_min == N, return a copy of the image instead of dividing by zero")?;
    for seed in 0..5u64 {
        let shape = (7 + seed as usize, 12 - seed as usize);
        let (lo, hi) = [(40, 220), (0, 90), (100, 255), (60, 61), (5, 250)][seed as usize];
        let img = random_image(400 + seed, shape, lo, hi);
        equalize_case(
            &format!(
                "equalize(random {}x{} image with levels {lo}..={hi}, seed {seed})",
                shape.0, shape.1
            ),
            &img,
        )?;
    }
    pass("OpenCV's equalizeHist on hand cases, 5 random images and a constant image")
}

fn check_equalize_real() -> Graded {
    let rows: Vec<usize> = (0..10).map(|k| 37 * k + 3).collect();
    let images = fashion(&rows)?;
    let (first, label) = &images[0];
    let out = equalize(first);
    show(Figure::Histogram {
        title: format!(
            "Fashion-MNIST image {} ({label}): grey levels before",
            rows[0]
        ),
        values: first.iter().map(|&v| v as f64).collect(),
        bins: 17,
    });
    show(Figure::Histogram {
        title: "... and after equalize (learner's output)".into(),
        values: out.iter().map(|&v| v as f64).collect(),
        bins: 17,
    });
    let curve = |img: &Array2<u8>| -> Vec<[f64; 2]> {
        let c = my_cdf(&my_histogram(img));
        (0..256)
            .step_by(5)
            .map(|v| [v as f64, c[v] as f64 / img.len() as f64])
            .collect()
    };
    if out.dim() == first.dim() {
        show(Figure::Lines {
            title: "CDF of the grey levels: an equalized image's is close to a straight line"
                .into(),
            x_label: "grey level".into(),
            y_label: "fraction of pixels <= level".into(),
            series: vec![
                Series {
                    name: "before".into(),
                    points: curve(first),
                },
                Series {
                    name: "after".into(),
                    points: curve(&out),
                },
            ],
            target: None,
        });
    }
    let mut worst_before: f64 = 0.0;
    let mut worst_after: f64 = 0.0;
    for ((img, label), row) in images.iter().zip(&rows) {
        let what = format!("equalize(Fashion-MNIST image {row}, {label})");
        equalize_case(&what, img)?;
        // Invariant: every level u of the output sits on the line from (0, c_min) to (255, N),
        // within the rounding of the LUT (half a level).
        let out = equalize(img);
        let n = img.len() as f64;
        let c_in = my_cdf(&my_histogram(img));
        let c_min = c_in.iter().copied().find(|&x| x > 0).unwrap_or(0) as f64;
        let c_out = my_cdf(&my_histogram(&out));
        for u in 0..256 {
            if c_in[u] > 0 && (u == 0 || c_in[u] != c_in[u - 1]) {
                let gap = ((c_in[u] as f64 - c_min) / (n - c_min) - u as f64 / 255.0).abs();
                worst_before = worst_before.max(gap);
            }
            if c_out[u] > 0 && (u == 0 || c_out[u] != c_out[u - 1]) {
                let gap = ((c_out[u] as f64 - c_min) / (n - c_min) - u as f64 / 255.0).abs();
                worst_after = worst_after.max(gap);
                ensure(gap <= 0.5 / 255.0 + 1e-9, || {
                    format!(
                        "{what}: the CDF at output level {u} is {} away from the line, more than half a level (0.5 / 255)",
                        fmt(gap)
                    )
                })?;
            }
        }
    }
    pass(format!(
        "10 Fashion-MNIST images match OpenCV's equalizeHist; their CDFs lie within {} of the \
         line (half a level is {}; before: up to {})",
        fmt(worst_after),
        fmt(0.5 / 255.0),
        fmt(worst_before)
    ))
}
