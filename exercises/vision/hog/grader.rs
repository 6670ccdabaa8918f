// Grader of vision/hog.
//
// The gradients, the cell histograms and the block normalization are checked directly against
// the grader's own loops, on hand-made edges (where every orientation convention moves the
// mass to another bin) and on seeded random images; then the learner's HOG features of
// Fashion-MNIST feed the grader's own multinomial logistic regression, against the same
// classifier on raw pixels, on a stratified split the grader makes.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, rows, stratified_train_test};
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2, Array3};
use rand::Rng as _;

use super::exercise::{cell_histograms, gradients, hog, normalize_blocks};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("gradients", check_gradients),
    ("cell_histograms", check_cell_histograms),
    ("block_normalization", check_block_normalization),
    ("hog_vs_pixels", hog_vs_pixels),
];

const EPS2: f64 = 1e-10;

fn random_image(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut r = rng(seed);
    Array2::from_shape_fn((rows, cols), |_| r.gen_range(0.0..1.0))
}

fn finite(what: &str, values: &[f64]) -> Result<(), Failed> {
    ensure(values.iter().all(|v| v.is_finite()), || {
        format!("{what} contains NaN or inf")
    })
}

fn same(a: &Array2<f64>, b: &Array2<f64>, tol: f64) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

// ---------------------------------------------------------------- gradients

/// Central differences without 1/2, zero on the border (scikit-image's `hog`), and the
/// classic wrong variants: `halve` (numpy.gradient), `forward` differences.
fn ref_gradients(image: &Array2<f64>, halve: bool, forward: bool) -> (Array2<f64>, Array2<f64>) {
    let (n, m) = image.dim();
    let mut gr = Array2::zeros((n, m));
    let mut gc = Array2::zeros((n, m));
    let f = if halve { 0.5 } else { 1.0 };
    for r in 0..n {
        for c in 0..m {
            if forward {
                if r + 1 < n {
                    gr[[r, c]] = image[[r + 1, c]] - image[[r, c]];
                }
                if c + 1 < m {
                    gc[[r, c]] = image[[r, c + 1]] - image[[r, c]];
                }
                continue;
            }
            if r > 0 && r + 1 < n {
                gr[[r, c]] = f * (image[[r + 1, c]] - image[[r - 1, c]]);
            }
            if c > 0 && c + 1 < m {
                gc[[r, c]] = f * (image[[r, c + 1]] - image[[r, c - 1]]);
            }
        }
    }
    (gr, gc)
}

fn interior_equal(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    let (n, m) = a.dim();
    n >= 3
        && m >= 3
        && a.dim() == b.dim()
        && (1..n - 1).all(|r| (1..m - 1).all(|c| (a[[r, c]] - b[[r, c]]).abs() < 1e-9))
}

fn check_gradients() -> Graded {
    let cases = [
        (6, 7, 11u64),
        (5, 5, 12),
        (9, 4, 13),
        (2, 6, 14),
        (1, 1, 15),
    ];
    for (n, m, seed) in cases {
        let image = random_image(n, m, seed);
        let what = format!("gradients of a seeded random {n} x {m} image");
        let (gr, gc) = gradients(&image);
        equal(&format!("{what}: shape of g_row"), &gr.dim(), &(n, m))?;
        equal(&format!("{what}: shape of g_col"), &gc.dim(), &(n, m))?;
        finite(&what, &gr.iter().chain(&gc).copied().collect::<Vec<_>>())?;
        let (er, ec) = ref_gradients(&image, false, false);
        if same(&gr, &er, 1e-9) && same(&gc, &ec, 1e-9) {
            continue;
        }
        let (hr, hc) = ref_gradients(&image, true, false);
        if same(&gr, &hr, 1e-9) && same(&gc, &hc, 1e-9) {
            return Err(fail(format!(
                "{what}: the gradients are halved, (f[i+1] - f[i-1]) / 2 as numpy.gradient computes them; HOG's filter is [-1, 0, 1] without the 1/2"
            )));
        }
        let (fr, fc) = ref_gradients(&image, false, true);
        if same(&gr, &fr, 1e-9) && same(&gc, &fc, 1e-9) {
            return Err(fail(format!(
                "{what}: those are forward differences f[i+1] - f[i]; central differences are f[i+1] - f[i-1]"
            )));
        }
        if same(&gr, &ec, 1e-9) && same(&gc, &er, 1e-9) {
            return Err(fail(format!(
                "{what}: g_row and g_col are swapped: g_row differences along the rows (down a column), image[r + 1, c] - image[r - 1, c]"
            )));
        }
        if same(&gr, &er.mapv(|v| -v), 1e-9) && same(&gc, &ec.mapv(|v| -v), 1e-9) {
            return Err(fail(format!(
                "{what}: the gradients are negated: image[r + 1, c] - image[r - 1, c], the next pixel minus the previous one"
            )));
        }
        if interior_equal(&gr, &er) && interior_equal(&gc, &ec) {
            return Err(fail(format!(
                "{what}: the inside is right but the border is not 0: scikit-image leaves g_row 0 on the first and last rows and g_col 0 on the first and last columns"
            )));
        }
        matrix_close(&format!("{what}: g_row"), &gr, &er, 1e-9)
            .hint("g_row[r, c] = image[r + 1, c] - image[r - 1, c] for 0 < r < rows - 1, else 0")?;
        matrix_close(&format!("{what}: g_col"), &gc, &ec, 1e-9)
            .hint("g_col[r, c] = image[r, c + 1] - image[r, c - 1] for 0 < c < cols - 1, else 0")?;
    }
    pass("central differences [-1, 0, 1] without 1/2, 0 on the border, on 5 seeded images")
}

// ---------------------------------------------------------------- cell histograms

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Right,
    Signed,
    Radians,
    Clamp180,
    YUp,
    Sum,
}

const VARIANTS: [(Variant, &str); 5] = [
    (
        Variant::Signed,
        "signed orientations: the angle was taken over [0, 360) with bins of 360/bins degrees; HOG here is unsigned, the angle modulo 180 over [0, 180)",
    ),
    (
        Variant::Radians,
        "degrees and radians mixed: every vote lands in bin 0, as when an angle in radians (at most π ≈ 3.14) is divided by a bin width in degrees (180/bins); convert with to_degrees() first",
    ),
    (
        Variant::Clamp180,
        "bin index off by one at 180°: an angle of exactly 180° (a bright-to-dark vertical edge, atan2(0, negative)) went to the last bin; 180° is 0° for unsigned orientations and belongs to bin 0 (take the angle modulo 180, or the bin modulo bins)",
    ),
    (
        Variant::YUp,
        "the angle is measured with the row axis pointing up, atan2(-g_row, g_col); scikit-image uses atan2(g_row, g_col) with rows growing downwards",
    ),
    (
        Variant::Sum,
        "the histograms are sums over the cell; scikit-image's cell histogram is the mean, the sum divided by cell²",
    ),
];

/// The grader's histograms with loops, in the right way or one of the wrong ones.
fn ref_histograms(image: &Array2<f64>, cell: usize, bins: usize, variant: Variant) -> Array3<f64> {
    let (gr, gc) = ref_gradients(image, false, false);
    let (n, m) = image.dim();
    let (cr, cc) = (n / cell, m / cell);
    let mut h = Array3::zeros((cr, cc, bins));
    let b = bins as f64;
    for i in 0..cr * cell {
        for j in 0..cc * cell {
            let (y, x) = (gr[[i, j]], gc[[i, j]]);
            let magnitude = (y * y + x * x).sqrt();
            let degrees = y.atan2(x) * 180.0 / std::f64::consts::PI;
            let bin = match variant {
                Variant::Signed => {
                    let a = if degrees < 0.0 {
                        degrees + 360.0
                    } else {
                        degrees
                    };
                    ((a / (360.0 / b)).floor() as usize) % bins
                }
                Variant::Radians => {
                    let a = y.atan2(x).rem_euclid(std::f64::consts::PI);
                    ((a / (180.0 / b)).floor() as usize).min(bins - 1)
                }
                Variant::Clamp180 => {
                    let a = if degrees < 0.0 {
                        degrees + 180.0
                    } else {
                        degrees
                    };
                    ((a / (180.0 / b)).floor() as usize).min(bins - 1)
                }
                Variant::YUp => {
                    let d = (-y).atan2(x) * 180.0 / std::f64::consts::PI;
                    let a = if d < 0.0 { d + 180.0 } else { d };
                    ((a / (180.0 / b)).floor() as usize) % bins
                }
                Variant::Right | Variant::Sum => {
                    let a = if degrees < 0.0 {
                        degrees + 180.0
                    } else {
                        degrees
                    };
                    ((a / (180.0 / b)).floor() as usize) % bins
                }
            };
            let scale = if variant == Variant::Sum {
                1.0
            } else {
                1.0 / (cell * cell) as f64
            };
            h[[i / cell, j / cell, bin]] += magnitude * scale;
        }
    }
    h
}

/// The learner's histograms have the right total in every cell, but more non-zero bins than
/// the expected ones: the votes were spread (interpolated) over neighbouring bins.
fn split_votes(got: &Array3<f64>, expected: &Array3<f64>) -> bool {
    let (c0, c1, bins) = expected.dim();
    let mut extra = false;
    for i in 0..c0 {
        for j in 0..c1 {
            let total = |h: &Array3<f64>| (0..bins).map(|b| h[[i, j, b]]).sum::<f64>();
            if (total(got) - total(expected)).abs() > 1e-9 {
                return false;
            }
            let nonzero =
                |h: &Array3<f64>| (0..bins).filter(|&b| h[[i, j, b]].abs() > 1e-12).count();
            extra |= nonzero(got) > nonzero(expected);
        }
    }
    extra
}

fn same3(a: &Array3<f64>, b: &Array3<f64>) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9)
}

/// An 8 x 8 image from a function of (row, column).
fn synthetic(f: impl Fn(usize, usize) -> f64) -> Array2<f64> {
    Array2::from_shape_fn((8, 8), |(r, c)| f(r, c))
}

fn check_cell_histograms() -> Graded {
    let mut cases: Vec<(String, Array2<f64>, usize, usize)> = vec![
        (
            "vertical edge, dark left and bright right (gradient along +columns: 0°, bin 0)".into(),
            synthetic(|_, c| f64::from(u8::from(c >= 4))),
            4,
            9,
        ),
        (
            "vertical edge, bright left and dark right (atan2(0, -1) = 180°, which is 0°: bin 0)"
                .into(),
            synthetic(|_, c| f64::from(u8::from(c < 4))),
            4,
            9,
        ),
        (
            "horizontal edge, dark top and bright bottom (90°: bin 4 of 9)".into(),
            synthetic(|r, _| f64::from(u8::from(r >= 4))),
            4,
            9,
        ),
        (
            "horizontal edge, bright top and dark bottom (-90°, unsigned 90°: bin 4 of 9)".into(),
            synthetic(|r, _| f64::from(u8::from(r < 4))),
            4,
            9,
        ),
        (
            "ramp brightening down and right, image = r + c (45°: bin 2 of 9)".into(),
            synthetic(|r, c| (r + c) as f64 / 14.0),
            4,
            9,
        ),
    ];
    for (n, m, cell, bins, seed) in [(12, 12, 4, 9, 21u64), (12, 10, 3, 6, 22), (9, 14, 2, 8, 23)] {
        cases.push((
            format!("a seeded random {n} x {m} image, cells of {cell}, {bins} bins"),
            random_image(n, m, seed),
            cell,
            bins,
        ));
    }
    for (what, image, cell, bins) in &cases {
        let got = cell_histograms(image, *cell, *bins);
        let expected = ref_histograms(image, *cell, *bins, Variant::Right);
        equal(
            &format!("histograms of {what}: shape (rows / cell, cols / cell, bins)"),
            &got.dim(),
            &expected.dim(),
        )
        .hint("whole cells only: rows / cell cells down, cols / cell across, one histogram of `bins` values each")?;
        finite(
            &format!("histograms of {what}"),
            &got.iter().copied().collect::<Vec<_>>(),
        )?;
        if same3(&got, &expected) {
            continue;
        }
        for (variant, why) in VARIANTS {
            if same3(&got, &ref_histograms(image, *cell, *bins, variant)) {
                return Err(fail(format!("histograms of {what}: {why}")));
            }
        }
        if split_votes(&got, &expected) {
            return Err(fail(format!(
                "histograms of {what}: each cell holds the right total but over more bins than its pixels' orientations: the votes are split between neighbouring bins (Dalal & Triggs' interpolation). scikit-image's `hog` gives a pixel's whole magnitude to the one bin its angle falls in"
            )));
        }
        let (c0, c1, _) = expected.dim();
        for i in 0..c0 {
            for j in 0..c1 {
                let g: Vec<f64> = (0..*bins).map(|b| got[[i, j, b]]).collect();
                let e: Vec<f64> = (0..*bins).map(|b| expected[[i, j, b]]).collect();
                all_close(&format!("histograms of {what}: cell ({i}, {j})"), &g, &e, 1e-9)
                    .hint("each pixel adds sqrt(g_row² + g_col²) / cell² to bin floor(angle / (180 / bins)) of its cell, angle = atan2(g_row, g_col) in degrees modulo 180")?;
            }
        }
    }
    pass(
        "unsigned orientations in [0, 180), whole votes, cell means: edges and ramps land in their bins, and 3 seeded images match",
    )
}

// ---------------------------------------------------------------- block normalization

#[derive(Clone, Copy, PartialEq)]
enum Norm {
    L2Hys,
    None,
    L2,
    NoRenormalize,
}

fn ref_blocks(h: &Array3<f64>, block: usize, norm: Norm) -> Vec<f64> {
    let (n, m, bins) = h.dim();
    let mut out = Vec::new();
    for br in 0..=(n - block) {
        for bc in 0..=(m - block) {
            let mut v = Vec::new();
            for i in br..br + block {
                for j in bc..bc + block {
                    for b in 0..bins {
                        v.push(h[[i, j, b]]);
                    }
                }
            }
            if norm != Norm::None {
                let s = (v.iter().map(|x| x * x).sum::<f64>() + EPS2).sqrt();
                v.iter_mut().for_each(|x| *x /= s);
            }
            if norm == Norm::L2Hys || norm == Norm::NoRenormalize {
                v.iter_mut().for_each(|x| *x = x.min(0.2));
            }
            if norm == Norm::L2Hys {
                let s = (v.iter().map(|x| x * x).sum::<f64>() + EPS2).sqrt();
                v.iter_mut().for_each(|x| *x /= s);
            }
            out.extend(v);
        }
    }
    out
}

fn near(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

fn check_block_normalization() -> Graded {
    let mut r = rng(31);
    let mut random =
        |shape: (usize, usize, usize)| Array3::from_shape_fn(shape, |_| r.gen_range(0.0..1.0));
    // One dominant bin in every cell: after L2 it exceeds 0.2, so the clip matters.
    let mut dominant = random((3, 3, 9));
    for i in 0..3 {
        for j in 0..3 {
            dominant[[i, j, (i + 2 * j) % 9]] += 5.0;
        }
    }
    // A flat patch: the cells of the left column have no gradient at all.
    let mut flat = random((2, 3, 4));
    for i in 0..2 {
        for b in 0..4 {
            flat[[i, 0, b]] = 0.0;
        }
    }
    let cases = [
        (
            "seeded random 4 x 5 cells x 9 bins, blocks of 2",
            random((4, 5, 9)),
            2,
        ),
        (
            "seeded random 3 x 3 cells x 6 bins, one block of 3",
            random((3, 3, 6)),
            3,
        ),
        (
            "3 x 3 cells each with one dominant bin, blocks of 2",
            dominant,
            2,
        ),
        (
            "2 x 3 cells whose left column is flat (all 0), blocks of 1",
            flat,
            1,
        ),
    ];
    for (what, h, block) in &cases {
        let got = normalize_blocks(h, *block).to_vec();
        let expected = ref_blocks(h, *block, Norm::L2Hys);
        equal(
            &format!("{what}: number of features"),
            &got.len(),
            &expected.len(),
        )
        .hint("(n_rows - block + 1) * (n_cols - block + 1) blocks, each block² * bins values")?;
        finite(&format!("features of {what}"), &got)
            .hint("a block of zeros must give zeros: keep eps² = 1e-10 under the square root")?;
        if near(&got, &expected, 1e-6) {
            continue;
        }
        let named = [
            (
                Norm::None,
                "the blocks are not normalized: each block vector must be divided by its L2 norm (L2-Hys), which makes HOG insensitive to contrast",
            ),
            (
                Norm::L2,
                "that is plain L2 normalization: L2-Hys then clips every value at 0.2 and normalizes again, so that one strong edge cannot dominate the block",
            ),
            (
                Norm::NoRenormalize,
                "the values were clipped at 0.2 but not normalized again: L2-Hys is L2, clip at 0.2, L2 again",
            ),
        ];
        for (norm, why) in named {
            if near(&got, &ref_blocks(h, *block, norm), 1e-6) {
                return Err(fail(format!("{what}: {why}")));
            }
        }
        all_close(&format!("features of {what}"), &got, &expected, 1e-6)
            .hint("blocks slide by one cell, row-major; inside a block the values go (cell row, cell column, bin)")?;
    }
    pass(
        "L2-Hys on sliding blocks (L2, clip at 0.2, L2 again), flat blocks give zeros, in scikit-image's order",
    )
}

// ---------------------------------------------------------------- held-out accuracy

/// HOG parameters for 28 x 28 images: cells of 4 x 4 pixels (7 x 7 cells), blocks of 2 x 2
/// cells (6 x 6 blocks), 9 bins: 6 * 6 * 4 * 9 = 1296 features. (Cells of 7 x 7 give 324
/// features and 0.846 held out: HOG still beats pixels, by less.)
const CELL: usize = 4;
const BLOCK: usize = 2;
const BINS: usize = 9;

/// The bar on held-out accuracy of HOG + logistic regression: the reference reaches 0.854 on
/// this split (deterministic: every correct HOG gives the same features), the same classifier
/// on raw pixels 0.823, a constant predictor 0.1. The bar asks HOG to beat the raw pixels.
const BAR: f64 = 0.83;

fn fashion() -> Result<(Vec<Array2<f64>>, Vec<usize>), Failed> {
    let table = Table::dataset("fashion_mnist_500.csv").map_err(|e| {
        fail(format!(
            "the grader could not load fashion_mnist_500.csv: {e}"
        ))
    })?;
    let columns = table.columns_except(&["label"]);
    let x = table
        .numeric(&columns)
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?
        / 255.0;
    let (y, _) = table
        .labels("label")
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?;
    let images = x
        .rows()
        .into_iter()
        .map(|row| Array2::from_shape_vec((28, 28), row.to_vec()).expect("784 pixels"))
        .collect();
    Ok((images, y))
}

/// The grader's classifier: linfa-logistic's multinomial regression, trained on the training
/// rows only; its held-out accuracy.
fn logistic_accuracy(
    x: &Array2<f64>,
    y: &[usize],
    train: &[usize],
    test: &[usize],
) -> Result<f64, Failed> {
    let dataset = Dataset::new(
        rows(x, train),
        Array1::from(train.iter().map(|&i| y[i]).collect::<Vec<_>>()),
    );
    let model = MultiLogisticRegression::default()
        .alpha(0.01)
        .max_iterations(100)
        .fit(&dataset)
        .map_err(|e| {
            fail(format!(
                "the logistic regression could not fit these features: {e}"
            ))
        })?;
    let predicted: Array1<usize> = model.predict(&rows(x, test));
    let right = test
        .iter()
        .zip(&predicted)
        .filter(|&(&i, &p)| y[i] == p)
        .count();
    Ok(right as f64 / test.len() as f64)
}

fn hog_vs_pixels() -> Graded {
    let (images, y) = fashion()?;
    let expected_len = 6 * 6 * 4 * 9;
    let mut features = Array2::zeros((images.len(), expected_len));
    for (i, image) in images.iter().enumerate() {
        let f = hog(image, CELL, BLOCK, BINS);
        equal(
            "HOG length of a 28 x 28 image (cells of 4, blocks of 2, 9 bins)",
            &f.len(),
            &expected_len,
        )?;
        finite("a HOG vector", &f.to_vec())?;
        ensure(f.iter().all(|v| (-1e-9..=1.0 + 1e-9).contains(v)), || {
            "a HOG vector has a value outside [0, 1]: after L2-Hys every block is a non-negative vector of norm at most 1".to_string()
        })?;
        features.row_mut(i).assign(&f);
    }
    let mut pixels = Array2::zeros((images.len(), 784));
    for (i, image) in images.iter().enumerate() {
        pixels
            .row_mut(i)
            .assign(&Array1::from_iter(image.iter().copied()));
    }
    let (train, test) = stratified_train_test(&y, 0.25, 42);
    let raw = logistic_accuracy(&pixels, &y, &train, &test)?;
    let with_hog = logistic_accuracy(&features, &y, &train, &test)?;
    bar(
        &format!(
            "held-out accuracy of HOG + logistic regression ({} images)",
            test.len()
        ),
        with_hog,
        BAR,
        Goal::AtLeast,
    )
    .note(&format!(
        "; the same classifier on the 784 raw pixels: {}; a constant predictor: 0.1",
        fmt(raw)
    ))
    .hint("the checks above test each step; here they come together on Fashion-MNIST")
}
