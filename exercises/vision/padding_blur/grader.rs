// Grader of vision/padding_blur.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array2, array};
use rand::Rng as _;

use super::exercise::{
    Padding, TRUNCATE, convolve, correlate, gaussian_blur, gaussian_kernel, pad,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("pad_modes", check_pad_modes),
    ("correlate_same", check_correlate_same),
    ("convolve_flip", check_convolve_flip),
    ("gaussian_kernel", check_gaussian_kernel),
    ("gaussian_blur", check_gaussian_blur),
];

const MODES: [Padding; 4] = [
    Padding::Zero,
    Padding::Replicate,
    Padding::Reflect,
    Padding::Symmetric,
];

fn mode_name(mode: Padding) -> &'static str {
    match mode {
        Padding::Zero => "Zero (numpy 'constant': 0 0 | a b c d)",
        Padding::Replicate => "Replicate (numpy 'edge': a a | a b c d)",
        Padding::Reflect => "Reflect (numpy 'reflect', the edge not repeated: c b | a b c d)",
        Padding::Symmetric => "Symmetric (numpy 'symmetric', the edge repeated: b a | a b c d)",
    }
}

/// The value of padded index `i` along an axis of length `n`, the grader's own way: reflect
/// (or clamp) step by step until the index is inside.
fn padded_index(mut i: isize, n: isize, mode: Padding) -> Option<usize> {
    loop {
        if (0..n).contains(&i) {
            return Some(i as usize);
        }
        i = match mode {
            Padding::Zero => return None,
            Padding::Replicate => i.max(0).min(n - 1),
            // numpy 'reflect': mirror about the edge pixel itself.
            Padding::Reflect if i < 0 => -i,
            Padding::Reflect => 2 * (n - 1) - i,
            // numpy 'symmetric': mirror about the edge between pixels.
            Padding::Symmetric if i < 0 => -1 - i,
            Padding::Symmetric => 2 * n - 1 - i,
        };
    }
}

/// The pixel at (i, j) of `img` padded infinitely by `mode`.
fn at(img: &Array2<f64>, i: isize, j: isize, mode: Padding) -> f64 {
    let (h, w) = img.dim();
    match (
        padded_index(i, h as isize, mode),
        padded_index(j, w as isize, mode),
    ) {
        (Some(a), Some(b)) => img[[a, b]],
        _ => 0.0,
    }
}

fn my_pad(img: &Array2<f64>, r: usize, mode: Padding) -> Array2<f64> {
    let (h, w) = img.dim();
    let mut out = Array2::zeros((h + 2 * r, w + 2 * r));
    for i in 0..h + 2 * r {
        for j in 0..w + 2 * r {
            out[[i, j]] = at(img, i as isize - r as isize, j as isize - r as isize, mode);
        }
    }
    out
}

/// Correlation ('same'), or convolution when `flip`: loops over the kernel.
fn my_filter(img: &Array2<f64>, k: &Array2<f64>, mode: Padding, flip: (bool, bool)) -> Array2<f64> {
    let (h, w) = img.dim();
    let (kh, kw) = k.dim();
    let (ch, cw) = ((kh / 2) as isize, (kw / 2) as isize);
    let mut out = Array2::zeros((h, w));
    for i in 0..h {
        for j in 0..w {
            let mut total = 0.0;
            for a in 0..kh {
                for b in 0..kw {
                    let da = if flip.0 {
                        ch - a as isize
                    } else {
                        a as isize - ch
                    };
                    let db = if flip.1 {
                        cw - b as isize
                    } else {
                        b as isize - cw
                    };
                    total += k[[a, b]] * at(img, i as isize + da, j as isize + db, mode);
                }
            }
            out[[i, j]] = total;
        }
    }
    out
}

fn random_matrix(seed: u64, shape: (usize, usize)) -> Array2<f64> {
    let mut r = rng(seed);
    Array2::from_shape_fn(shape, |_| (r.gen_range(0..=255) as f64) / 255.0)
}

fn near(a: &Array2<f64>, b: &Array2<f64>, tol: f64) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

fn finite(what: &str, m: &Array2<f64>) -> Result<(), Failed> {
    match m.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((i, j), v)) => Err(fail(format!("{what}[{i}, {j}] = {v}: not a finite number"))),
        None => Ok(()),
    }
}

fn row_text(m: &Array2<f64>, i: usize) -> String {
    let values: Vec<String> = m.row(i).iter().map(|v| fmt(*v)).collect();
    format!("[{}]", values.join(", "))
}

/// If `got` matches the result of another padding mode, the failure that names it.
fn other_mode(
    what: &str,
    got: &Array2<f64>,
    asked: Padding,
    result_for: impl Fn(Padding) -> Array2<f64>,
) -> Result<(), Failed> {
    // The partner of the reflect trap first: with a radius of 1, Symmetric equals Replicate.
    let partner = match asked {
        Padding::Reflect => Padding::Symmetric,
        Padding::Symmetric => Padding::Reflect,
        other => other,
    };
    for mode in std::iter::once(partner).chain(MODES) {
        if mode != asked && near(got, &result_for(mode), 1e-9) {
            let trap = match (asked, mode) {
                (Padding::Reflect, Padding::Symmetric) | (Padding::Symmetric, Padding::Reflect) => {
                    ": Reflect and Symmetric are swapped (SciPy's 'reflect' is numpy's \
                     'symmetric', the trap of the word)"
                }
                _ => "",
            };
            return Err(fail(format!(
                "{what}: gave the padding {} where {} was asked{trap}",
                mode_name(mode),
                mode_name(asked)
            )))
            .hint("numpy 'reflect' mirrors about the edge pixel (d c b | a b c d); 'symmetric' repeats it (a | a b c d)");
        }
    }
    Ok(())
}

fn check_pad_modes() -> Graded {
    let img = array![
        [1.0, 2.0, 3.0, 4.0],
        [5.0, 6.0, 7.0, 8.0],
        [9.0, 10.0, 11.0, 12.0]
    ];
    let mut cases = vec![(
        "[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]".to_string(),
        img,
        2,
    )];
    for seed in 0..3u64 {
        let shape = (4 + seed as usize, 6);
        cases.push((
            format!("a random {}x{} image (seed {seed})", shape.0, shape.1),
            random_matrix(10 + seed, shape),
            3,
        ));
    }
    for (name, img, r) in &cases {
        for mode in MODES {
            let what = format!("pad({name}, {r}, {mode:?})");
            let got = pad(img, *r, mode);
            let expected = my_pad(img, *r, mode);
            equal(&format!("{what}: shape"), &got.dim(), &expected.dim())
                .hint("r rows above and below, r columns left and right: (rows + 2r, cols + 2r)")?;
            other_mode(&what, &got, mode, |m| my_pad(img, *r, m))?;
            if !near(&got, &expected, 1e-12) {
                let i = (0..expected.nrows())
                    .find(|&i| (0..expected.ncols()).any(|j| got[[i, j]] != expected[[i, j]]))
                    .unwrap_or(0);
                return Err(fail(format!(
                    "{what}, {}: row {i} is {}, expected {}",
                    mode_name(mode),
                    row_text(&got, i),
                    row_text(&expected, i)
                )));
            }
        }
    }
    pass("Zero, Replicate, Reflect (c b | a b c d) and Symmetric (b a | a b c d) as numpy's np.pad")
}

fn kernels() -> Vec<(&'static str, Array2<f64>)> {
    vec![
        (
            "[[1, 2, 0], [0, -1, 3], [0.5, 0, -2]]",
            array![[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [0.5, 0.0, -2.0]],
        ),
        ("[[1, 0, -1]] (1 x 3)", array![[1.0, 0.0, -1.0]]),
        ("[[2], [0], [-1]] (3 x 1)", array![[2.0], [0.0], [-1.0]]),
        (
            "a 3 x 5 kernel 0, 1, ..., 14",
            Array2::from_shape_fn((3, 5), |(a, b)| (5 * a + b) as f64),
        ),
    ]
}

/// Compare a filter's result, naming a flip on one or both axes and another padding mode.
fn filter_case(
    what: &str,
    got: &Array2<f64>,
    img: &Array2<f64>,
    k: &Array2<f64>,
    mode: Padding,
    convolution: bool,
) -> Result<(), Failed> {
    let f = (convolution, convolution);
    let expected = my_filter(img, k, mode, f);
    equal(
        &format!("{what}: shape ('same' as the image)"),
        &got.dim(),
        &img.dim(),
    )
    .hint("'same' output: pad by kh / 2 rows and kw / 2 columns, one output per pixel")?;
    finite(what, got)?;
    if near(got, &expected, 1e-9) {
        return Ok(());
    }
    let named: [((bool, bool), &str); 3] = if convolution {
        [
            (
                (false, false),
                "the kernel was not flipped: that is a correlation; convolution flips it along both axes",
            ),
            (
                (true, false),
                "the kernel was flipped along the rows only; flip both axes",
            ),
            (
                (false, true),
                "the kernel was flipped along the columns only; flip both axes",
            ),
        ]
    } else {
        [
            (
                (true, true),
                "the kernel was flipped: that is a convolution; correlate uses k[a, b] as given",
            ),
            ((true, false), "the kernel was flipped along the rows"),
            ((false, true), "the kernel was flipped along the columns"),
        ]
    };
    for (flip, why) in named {
        if near(got, &my_filter(img, k, mode, flip), 1e-9) {
            return Err(fail(format!("{what}: {why}")));
        }
    }
    other_mode(what, got, mode, |m| my_filter(img, k, m, f))?;
    matrix_close(what, got, &expected, 1e-9)
}

fn check_correlate_same() -> Graded {
    for (seed, (kname, k)) in kernels().into_iter().enumerate() {
        let img = random_matrix(20 + seed as u64, (6 + seed, 7));
        for mode in MODES {
            let what = format!("correlate(random {}x7 image, {kname}, {mode:?})", 6 + seed);
            filter_case(&what, &correlate(&img, &k, mode), &img, &k, mode, false).hint(
                "out[i, j] = sum of k[a, b] * p[i + a, j + b], p padded by kh / 2 and kw / 2",
            )?;
        }
    }
    pass("cross-correlation with 'same' output, 4 asymmetric kernels x 4 padding modes")
}

fn check_convolve_flip() -> Graded {
    // An impulse: convolution reproduces the kernel around it (correlation gives it flipped).
    let mut impulse = Array2::zeros((5, 5));
    impulse[[2, 2]] = 1.0;
    let k = array![[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [0.5, 0.0, -2.0]];
    let got = convolve(&impulse, &k, Padding::Zero);
    filter_case(
        "convolve(a 5x5 impulse, [[1, 2, 0], [0, -1, 3], [0.5, 0, -2]], Zero)",
        &got,
        &impulse,
        &k,
        Padding::Zero,
        true,
    )
    .hint("convolving an impulse must give back the kernel itself around it")?;
    for (seed, (kname, k)) in kernels().into_iter().enumerate() {
        let img = random_matrix(30 + seed as u64, (7, 6 + seed));
        for mode in MODES {
            let what = format!("convolve(random 7x{} image, {kname}, {mode:?})", 6 + seed);
            filter_case(&what, &convolve(&img, &k, mode), &img, &k, mode, true)
                .hint("convolve = correlate with k[kh - 1 - a, kw - 1 - b]")?;
        }
    }
    pass(
        "convolution flips the kernel on both axes (an impulse gives the kernel back), 4 kernels x 4 modes",
    )
}

fn my_kernel(sigma: f64, truncate: f64) -> Vec<f64> {
    let r = (truncate * sigma + 0.5).floor() as i64;
    let w: Vec<f64> = (-r..=r)
        .map(|x| (-((x * x) as f64) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|v| v / total).collect()
}

fn check_gaussian_kernel() -> Graded {
    for (sigma, truncate) in [(1.0, 4.0), (0.5, 4.0), (0.8, 4.0), (1.1, 3.0), (2.0, 4.0)] {
        let what = format!("gaussian_kernel(sigma = {sigma}, truncate = {truncate})");
        let got: Array1<f64> = gaussian_kernel(sigma, truncate);
        let expected = my_kernel(sigma, truncate);
        let r = expected.len() / 2;
        let got = got.to_vec();
        let ceil = (truncate * sigma).ceil() as usize;
        if got.len() == 2 * ceil + 1 && ceil != r {
            return Err(fail(format!(
                "{what}: radius ceil(truncate * sigma) = {ceil}; SciPy rounds it: \
                 r = floor(truncate * sigma + 0.5) = {r}, {} weights",
                2 * r + 1
            )));
        }
        equal(
            &format!("{what}: length 2r + 1 with r = floor({truncate} * {sigma} + 0.5)"),
            &got.len(),
            &expected.len(),
        )?;
        let raw: Vec<f64> = (0..got.len())
            .map(|i| (-((i as f64 - r as f64).powi(2)) / (2.0 * sigma * sigma)).exp())
            .collect();
        let density: Vec<f64> = raw
            .iter()
            .map(|v| v / (sigma * (2.0 * std::f64::consts::PI).sqrt()))
            .collect();
        let sum: f64 = got.iter().sum();
        let is = |other: &[f64]| got.iter().zip(other).all(|(a, b)| (a - b).abs() <= 1e-9);
        if is(&raw) {
            return Err(fail(format!(
                "{what}: the weights are not normalized: they sum to {}, so a blur would \
                 brighten the image by that factor; divide by their sum",
                fmt(sum)
            )));
        }
        if is(&density) {
            return Err(fail(format!(
                "{what}: weights divided by sigma * sqrt(2 pi) (the continuous density) sum to \
                 {}, not 1: divide by the sum of the sampled weights",
                fmt(sum)
            )));
        }
        close(&format!("{what}: sum of the weights"), sum, 1.0, 1e-9)?;
        all_close(&what, &got, &expected, 1e-9)
            .hint("w[x] = exp(-x^2 / (2 sigma^2)) for x = -r..=r, then divide by the sum")?;
    }
    pass("SciPy's radius floor(truncate sigma + 0.5), sampled Gaussian weights summing to 1")
}

fn fashion(rows: &[usize]) -> Result<Vec<(Array2<f64>, String)>, Failed> {
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
            let img = Array2::from_shape_fn((28, 28), |(i, j)| x[[r, 28 * i + j]] / 255.0);
            (img, labels[r].unwrap_or("?").to_string())
        })
        .collect())
}

/// The blur by one 2-D correlation with the outer product of the grader's 1-D kernel.
fn blur_2d(img: &Array2<f64>, sigma: f64, mode: Padding) -> Array2<f64> {
    let g = my_kernel(sigma, TRUNCATE);
    let n = g.len();
    let k = Array2::from_shape_fn((n, n), |(a, b)| g[a] * g[b]);
    my_filter(img, &k, mode, (false, false))
}

fn blur_case(what: &str, img: &Array2<f64>, sigma: f64, mode: Padding) -> Result<(), Failed> {
    let got = gaussian_blur(img, sigma, mode);
    equal(&format!("{what}: shape"), &got.dim(), &img.dim())?;
    finite(what, &got)?;
    let expected = blur_2d(img, sigma, mode);
    if near(&got, &expected, 1e-9) {
        return Ok(());
    }
    let g = my_kernel(sigma, TRUNCATE);
    let n = g.len();
    let row = Array2::from_shape_fn((1, n), |(_, b)| g[b]);
    let column = Array2::from_shape_fn((n, 1), |(a, _)| g[a]);
    if near(&got, &my_filter(img, &row, mode, (false, false)), 1e-9) {
        return Err(fail(format!(
            "{what}: blurred along the rows only (horizontally): filter the columns too"
        )));
    }
    if near(&got, &my_filter(img, &column, mode, (false, false)), 1e-9) {
        return Err(fail(format!(
            "{what}: blurred along the columns only (vertically): filter the rows too"
        )));
    }
    let (mean_got, mean_img) = (got.mean().unwrap_or(0.0), img.mean().unwrap_or(0.0));
    if mean_img > 0.0 && mean_got > 1.2 * mean_img {
        return Err(fail(format!(
            "{what}: the image brightened (mean {} -> {}): the kernel is not normalized",
            fmt(mean_img),
            fmt(mean_got)
        )))
        .hint("divide the Gaussian weights by their sum");
    }
    other_mode(what, &got, mode, |m| blur_2d(img, sigma, m))?;
    matrix_close(what, &got, &expected, 1e-9)
}

fn check_gaussian_blur() -> Graded {
    let images = fashion(&[1, 7])?;
    let (first, label) = &images[0];
    let blurred = gaussian_blur(first, 2.0, Padding::Reflect);
    if blurred.dim() == first.dim() {
        let profile = |m: &Array2<f64>| -> Vec<[f64; 2]> {
            (0..28).map(|j| [j as f64, m[[14, j]]]).collect()
        };
        show(Figure::Lines {
            title: format!("Fashion-MNIST image 1 ({label}): row 14, blurred with sigma = 2"),
            x_label: "column".into(),
            y_label: "grey level / 255".into(),
            series: vec![
                Series {
                    name: "image".into(),
                    points: profile(first),
                },
                Series {
                    name: "gaussian_blur".into(),
                    points: profile(&blurred),
                },
            ],
            target: None,
        });
    }
    let flat = Array2::from_elem((9, 9), 0.6);
    for mode in [Padding::Replicate, Padding::Reflect, Padding::Symmetric] {
        let got = gaussian_blur(&flat, 1.0, mode);
        equal(
            "gaussian_blur(a constant 9x9 image): shape",
            &got.dim(),
            &(9, 9),
        )?;
        let what = format!("gaussian_blur(a constant 9x9 image of 0.6, sigma 1, {mode:?})");
        let centre = got[[4, 4]];
        if (centre - 0.6).abs() > 1e-9 {
            return Err(fail(format!(
                "{what}: the centre became {}: the kernel is not normalized (weights summing \
                 to 1 keep a constant image constant)",
                fmt(centre)
            )))
            .hint("divide the Gaussian weights by their sum");
        }
        let worst = got.iter().map(|v| (v - 0.6).abs()).fold(0.0, f64::max);
        ensure(worst <= 1e-9, || {
            format!(
                "{what}: a border pixel moved by {}: with this padding the values beyond the \
                 border are 0.6 too, so a constant image must stay constant",
                fmt(worst)
            )
        })
        .hint("pad with the mode asked, not zeros")?;
    }
    for (seed, (sigma, mode)) in [
        (0.8, Padding::Zero),
        (1.1, Padding::Symmetric),
        (1.0, Padding::Replicate),
    ]
    .into_iter()
    .enumerate()
    {
        let img = random_matrix(40 + seed as u64, (9 + seed, 11));
        blur_case(
            &format!(
                "gaussian_blur(random {}x11 image, sigma {sigma}, {mode:?})",
                9 + seed
            ),
            &img,
            sigma,
            mode,
        )?;
    }
    for ((img, label), row) in images.iter().zip([1, 7]) {
        for (sigma, mode) in [(1.0, Padding::Reflect), (2.0, Padding::Symmetric)] {
            blur_case(
                &format!(
                    "gaussian_blur(Fashion-MNIST image {row} ({label}), sigma {sigma}, {mode:?})"
                ),
                img,
                sigma,
                mode,
            )?;
        }
    }
    pass(
        "the separable blur equals one 2-D correlation with the outer-product kernel, and keeps a constant image constant",
    )
}
