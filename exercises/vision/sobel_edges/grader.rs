// Grader of vision/sobel_edges.

use std::f64::consts::PI;

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array2, array};
use rand::Rng as _;

use super::exercise::{edge_map, magnitude, orientation, sobel};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("step_edges", check_step_edges),
    ("magnitude_orientation", check_magnitude_orientation),
    ("borders", check_borders),
    ("edges_real", check_edges_real),
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Border {
    Reflect,
    Zero,
    Replicate,
}

fn border_name(b: Border) -> &'static str {
    match b {
        Border::Reflect => "reflection without repeating the edge (numpy 'reflect': b | a b c)",
        Border::Zero => "zero padding (0 | a b c)",
        Border::Replicate => {
            "the edge pixel repeated (replicate, or numpy 'symmetric' / SciPy's 'reflect', \
             the same for a 3x3 kernel: a | a b c)"
        }
    }
}

/// The grader's Sobel: Gx by [-1 0 1] across and [1 2 1] down, Gy by the transpose, by
/// correlation; `None` where a padded pixel is 0.
fn my_sobel(img: &Array2<f64>, border: Border) -> (Array2<f64>, Array2<f64>) {
    let (h, w) = img.dim();
    let fetch = |i: isize, j: isize| -> f64 {
        let map = |k: isize, n: isize| -> Option<usize> {
            if (0..n).contains(&k) {
                return Some(k as usize);
            }
            match border {
                Border::Zero => None,
                Border::Replicate => Some(k.clamp(0, n - 1) as usize),
                Border::Reflect => Some(if k < 0 { -k } else { 2 * n - 2 - k } as usize),
            }
        };
        match (map(i, h as isize), map(j, w as isize)) {
            (Some(a), Some(b)) => img[[a, b]],
            _ => 0.0,
        }
    };
    let smooth = [1.0, 2.0, 1.0];
    let diff = [-1.0, 0.0, 1.0];
    let mut gx = Array2::zeros((h, w));
    let mut gy = Array2::zeros((h, w));
    for i in 0..h {
        for j in 0..w {
            for a in 0..3 {
                for b in 0..3 {
                    let v = fetch(i as isize + a as isize - 1, j as isize + b as isize - 1);
                    gx[[i, j]] += smooth[a] * diff[b] * v;
                    gy[[i, j]] += diff[a] * smooth[b] * v;
                }
            }
        }
    }
    (gx, gy)
}

fn near_where(a: &Array2<f64>, b: &Array2<f64>, keep: impl Fn(usize, usize) -> bool) -> bool {
    a.dim() == b.dim()
        && a.indexed_iter()
            .all(|((i, j), x)| !keep(i, j) || (x - b[[i, j]]).abs() <= 1e-9)
}

fn finite(what: &str, m: &Array2<f64>) -> Result<(), Failed> {
    match m.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((i, j), v)) => Err(fail(format!("{what}[{i}, {j}] = {v}: not a finite number"))),
        None => Ok(()),
    }
}

/// First cell (among those kept) where `got` and `expected` differ, as a failure.
fn compare_where(
    what: &str,
    got: &Array2<f64>,
    expected: &Array2<f64>,
    keep: impl Fn(usize, usize) -> bool,
) -> Result<(), Failed> {
    equal(&format!("{what}: shape"), &got.dim(), &expected.dim())?;
    for ((i, j), e) in expected.indexed_iter() {
        if keep(i, j) {
            close(&format!("{what}[{i}, {j}]"), got[[i, j]], *e, 1e-9)?;
        }
    }
    Ok(())
}

/// Compare (Gx, Gy) with the grader's, on the cells kept, naming swaps and flipped signs.
fn gradients_case(
    what: &str,
    img: &Array2<f64>,
    keep: impl Fn(usize, usize) -> bool + Copy,
) -> Result<(), Failed> {
    let (gx, gy) = sobel(img);
    let (ex, ey) = my_sobel(img, Border::Reflect);
    equal(&format!("{what}: shape of Gx"), &gx.dim(), &img.dim())
        .hint("'same' output: pad the image by one pixel on each side")?;
    equal(&format!("{what}: shape of Gy"), &gy.dim(), &img.dim())?;
    finite(&format!("{what}: Gx"), &gx)?;
    finite(&format!("{what}: Gy"), &gy)?;
    let (ok_x, ok_y) = (near_where(&gx, &ex, keep), near_where(&gy, &ey, keep));
    if ok_x && ok_y {
        return Ok(());
    }
    if near_where(&gx, &ey, keep) && near_where(&gy, &ex, keep) {
        return Err(fail(format!(
            "{what}: Gx and Gy are swapped: Gx is the change along a row (across columns, \
             to the right), Gy the change down the rows"
        )))
        .hint("Gx uses [-1, 0, 1] along each row: KX; Gy uses it down each column: KY");
    }
    let (nx, ny) = (ex.mapv(|v| -v), ey.mapv(|v| -v));
    if (ok_x || near_where(&gx, &nx, keep)) && (ok_y || near_where(&gy, &ny, keep)) {
        return Err(fail(format!(
            "{what}: the sign of {} is flipped (the kernel was flipped: a convolution, or \
             [1, 0, -1]): Gx must be positive where intensity increases to the right, Gy \
             where it increases downward",
            if ok_x {
                "Gy"
            } else if ok_y {
                "Gx"
            } else {
                "Gx and Gy"
            }
        )))
        .hint("correlate, do not convolve: out[i, j] = sum of K[a][b] * p[i + a][j + b]");
    }
    let inner = interior(img.nrows(), img.ncols());
    if near_where(&gx, &ex, inner) && near_where(&gy, &ey, inner) {
        // Right inside, wrong at the border (only reached when the border is compared).
        for other in [Border::Zero, Border::Replicate] {
            let (ox, oy) = my_sobel(img, other);
            if near_where(&gx, &ox, keep) && near_where(&gy, &oy, keep) {
                return Err(fail(format!(
                    "{what}: at the border you used {}; the padding asked is {}",
                    border_name(other),
                    border_name(Border::Reflect)
                )))
                .hint(
                    "index -1 reads index 1 and index n reads n - 2 (OpenCV's BORDER_REFLECT_101)",
                );
            }
        }
    }
    compare_where(&format!("{what}: Gx"), &gx, &ex, keep)?;
    compare_where(&format!("{what}: Gy"), &gy, &ey, keep)
}

fn interior(h: usize, w: usize) -> impl Fn(usize, usize) -> bool + Copy {
    move |i, j| i > 0 && j > 0 && i + 1 < h && j + 1 < w
}

fn check_step_edges() -> Graded {
    // Dark left half, bright right half: a vertical edge between columns 3 and 4, where
    // Gx = 1 + 2 + 1 = 4 on both sides and Gy = 0.
    let vertical = Array2::from_shape_fn((6, 8), |(_, j)| if j >= 4 { 1.0 } else { 0.0 });
    let horizontal = vertical.t().to_owned();
    let keep = interior(6, 8);
    gradients_case(
        "sobel(a vertical step edge, dark left, bright right)",
        &vertical,
        keep,
    )?;
    let keep = interior(8, 6);
    gradients_case(
        "sobel(a horizontal step edge, dark top, bright bottom)",
        &horizontal,
        keep,
    )?;
    let flipped = vertical.mapv(|v| 1.0 - v);
    gradients_case(
        "sobel(a vertical step edge, bright left, dark right)",
        &flipped,
        interior(6, 8),
    )?;
    for seed in 0..3u64 {
        let mut r = rng(50 + seed);
        let img = Array2::from_shape_fn((7, 9), |_| r.gen_range(0.0..1.0));
        gradients_case(
            &format!("sobel(a random 7x9 image, seed {seed}), away from the border"),
            &img,
            interior(7, 9),
        )?;
    }
    pass(
        "Gx = 4 across a vertical step (dark to bright, rightward), Gy = 4 down a horizontal one; random images match, away from the border",
    )
}

fn wrapped(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(2.0 * PI);
    d.min(2.0 * PI - d)
}

fn check_magnitude_orientation() -> Graded {
    let gx = array![[3.0, 0.0, -2.0, 0.0, -1.0, 1.0]];
    let gy = array![[4.0, 2.0, 0.0, -5.0, -1.0, 1.0]];
    let m = magnitude(&gx, &gy);
    let expected = array![[5.0, 2.0, 2.0, 5.0, 2f64.sqrt(), 2f64.sqrt()]];
    let what = "magnitude(Gx = [[3, 0, -2, 0, -1, 1]], Gy = [[4, 2, 0, -5, -1, 1]])";
    equal(&format!("{what}: shape"), &m.dim(), &(1, 6))?;
    let l1 = array![[7.0, 2.0, 2.0, 5.0, 2.0, 2.0]];
    if near_where(&m, &l1, |_, _| true) {
        return Err(fail(format!(
            "{what} gave |Gx| + |Gy| = {m:?}: that is the L1 approximation (cheaper, used by \
             some old detectors); the magnitude asked is the Euclidean sqrt(Gx^2 + Gy^2)"
        )));
    }
    if near_where(&m, &expected.mapv(|v| v * v), |_, _| true) {
        return Err(fail(format!(
            "{what} gave Gx^2 + Gy^2: the square root is missing"
        )));
    }
    compare_where(what, &m, &expected, |_, _| true)
        .hint("sqrt(gx * gx + gy * gy), or gx.hypot(gy)")?;

    let o = orientation(&gx, &gy);
    let what = "orientation(Gx = [[3, 0, -2, 0, -1, 1]], Gy = [[4, 2, 0, -5, -1, 1]])";
    equal(&format!("{what}: shape"), &o.dim(), &(1, 6))?;
    finite(what, &o)?;
    let angle = |f: &dyn Fn(f64, f64) -> f64| -> Array2<f64> {
        Array2::from_shape_fn((1, 6), |(i, j)| f(gx[[i, j]], gy[[i, j]]))
    };
    let expected = angle(&|x, y| y.atan2(x));
    let named: [(Array2<f64>, &str); 3] = [
        (
            angle(&|x, y| x.atan2(y)),
            "atan2(Gx, Gy): the arguments are swapped; atan2 takes (y, x), so atan2(Gy, Gx)",
        ),
        (
            angle(&|x, y| y.atan2(x).to_degrees()),
            "degrees; the orientation is asked in radians",
        ),
        (
            angle(&|x, y| (-y).atan2(x)),
            "atan2(-Gy, Gx), the y axis pointing up; here y points down the rows, so \
             atan2(Gy, Gx)",
        ),
    ];
    let same =
        |a: &Array2<f64>, b: &Array2<f64>| a.iter().zip(b).all(|(p, q)| wrapped(*p, *q) <= 1e-9);
    if !same(&o, &expected) {
        for (wrong, why) in &named {
            if o.iter().zip(wrong).all(|(p, q)| (p - q).abs() <= 1e-9) {
                return Err(fail(format!("{what} gave {o:?}: {why}")));
            }
        }
        return Err(fail(format!(
            "{what}: expected {expected:?} (radians, modulo 2 pi), got {o:?}"
        )))
        .hint("`gy.atan2(gx)` for each pixel");
    }

    // Rotated ramps: img = cos(t) * column + sin(t) * row rises at angle t (y down), so away
    // from the border Gx = 8 cos(t), Gy = 8 sin(t), magnitude 8 and orientation t exactly.
    for degrees in [30.0f64, 120.0, -60.0, 200.0] {
        let t = degrees.to_radians();
        let img = Array2::from_shape_fn((7, 7), |(i, j)| t.cos() * j as f64 + t.sin() * i as f64);
        let what = format!("a ramp rising at {degrees} degrees (y down)");
        let (gx, gy) = sobel(&img);
        equal(&format!("sobel({what}): shape"), &gx.dim(), &(7, 7))?;
        equal(&format!("sobel({what}): shape of Gy"), &gy.dim(), &(7, 7))?;
        let (m, o) = (magnitude(&gx, &gy), orientation(&gx, &gy));
        equal(&format!("magnitude({what}): shape"), &m.dim(), &(7, 7))?;
        equal(&format!("orientation({what}): shape"), &o.dim(), &(7, 7))?;
        close(
            &format!("magnitude at the centre of {what}"),
            m[[3, 3]],
            8.0,
            1e-9,
        )?;
        let got = o[[3, 3]];
        ensure(got.is_finite() && wrapped(got, t) <= 1e-9, || {
            format!(
                "orientation at the centre of {what}: expected {} rad ({degrees} degrees, \
                 modulo 2 pi), got {}",
                fmt(t),
                fmt(got)
            )
        })
        .hint("Gx > 0 for intensity rising to the right, Gy > 0 for rising downward, angle atan2(Gy, Gx)")?;
    }
    pass(
        "Euclidean magnitude, atan2(Gy, Gx) in radians with y down; ramps at 30, 120, -60 and 200 degrees come out exactly",
    )
}

fn check_borders() -> Graded {
    let mut cases: Vec<(String, Array2<f64>)> = vec![(
        "a ramp rising to the right (img[i, j] = j)".into(),
        Array2::from_shape_fn((5, 6), |(_, j)| j as f64),
    )];
    for seed in 0..3u64 {
        let mut r = rng(60 + seed);
        let shape = (5 + seed as usize, 8 - seed as usize);
        cases.push((
            format!("a random {}x{} image (seed {seed})", shape.0, shape.1),
            Array2::from_shape_fn(shape, |_| r.gen_range(0.0..1.0)),
        ));
    }
    for (name, img) in &cases {
        let what = format!("sobel({name})");
        let (gx, _) = sobel(img);
        let (h, w) = img.dim();
        if gx.dim() == (h - 2, w - 2) {
            return Err(fail(format!(
                "{what}: Gx is {}x{}, the 'valid' part: the border pixels were dropped; pad by \
                 reflection to keep the image's shape",
                h - 2,
                w - 2
            )));
        }
        gradients_case(&what, img, interior(h, w))?;
        gradients_case(&format!("{what}, border included"), img, |_, _| true)?;
    }
    pass(
        "border pixels use reflection without repeating the edge: on the ramp, Gx is 0 in the first and last columns",
    )
}

fn check_edges_real() -> Graded {
    // The threshold on a step of height 1: magnitude exactly 4 beside it; strictly above.
    let step = Array2::from_shape_fn((5, 6), |(_, j)| if j >= 3 { 1.0 } else { 0.0 });
    let expected_at = |t: f64| {
        let (gx, gy) = my_sobel(&step, Border::Reflect);
        Array2::from_shape_fn((5, 6), |(i, j)| gx[[i, j]].hypot(gy[[i, j]]) > t)
    };
    for t in [3.5, 4.0] {
        let got = edge_map(&step, t);
        let what = format!("edge_map(a vertical step of height 1, threshold {t})");
        equal(&format!("{what}: shape"), &got.dim(), &(5, 6))?;
        // Away from the border (the borders are the next check's business).
        let inner = |m: &Array2<bool>| -> Vec<bool> {
            m.indexed_iter()
                .filter(|((i, j), _)| interior(5, 6)(*i, *j))
                .map(|(_, e)| *e)
                .collect()
        };
        if t == 4.0 && inner(&got) == inner(&expected_at(3.9)) {
            return Err(fail(format!(
                "{what}: the pixels of magnitude exactly 4 were marked: the edge map is \
                 magnitude > threshold, strictly"
            )));
        }
        equal(
            &format!("{what}, inner pixels row by row"),
            &inner(&got),
            &inner(&expected_at(t)),
        )?;
    }

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
    let threshold = 1.0;
    for (k, row) in [0usize, 8, 11, 24].into_iter().enumerate() {
        let img = Array2::from_shape_fn((28, 28), |(i, j)| x[[row, 28 * i + j]] / 255.0);
        let label = labels[row].unwrap_or("?");
        let got = edge_map(&img, threshold);
        if k == 0 && got.dim() == (28, 28) {
            let points: Vec<[f64; 2]> = got
                .indexed_iter()
                .filter(|(_, e)| **e)
                .map(|((i, j), _)| [j as f64, 27.0 - i as f64])
                .collect();
            let n = points.len();
            show(Figure::Scatter {
                title: format!(
                    "edge_map of Fashion-MNIST image {row} ({label}), threshold {threshold}: {n} edge pixels"
                ),
                x_label: "column".into(),
                y_label: "27 - row (the image upright)".into(),
                points,
                groups: vec![0; n],
            });
        }
        let what = format!("Fashion-MNIST image {row} ({label}) / 255");
        gradients_case(&format!("sobel({what})"), &img, |_, _| true)?;
        let (ex, ey) = my_sobel(&img, Border::Reflect);
        let em = Array2::from_shape_fn((28, 28), |(i, j)| ex[[i, j]].hypot(ey[[i, j]]));
        let (gx, gy) = sobel(&img);
        compare_where(
            &format!("magnitude({what})"),
            &magnitude(&gx, &gy),
            &em,
            |_, _| true,
        )?;
        let o = orientation(&gx, &gy);
        equal(&format!("orientation({what}): shape"), &o.dim(), &(28, 28))?;
        for ((i, j), e) in em.indexed_iter() {
            let expected = ey[[i, j]].atan2(ex[[i, j]]);
            if *e > 1e-6 {
                let got = o[[i, j]];
                ensure(got.is_finite() && wrapped(got, expected) <= 1e-9, || {
                    format!(
                        "orientation({what})[{i}, {j}]: expected {}, got {}",
                        fmt(expected),
                        fmt(got)
                    )
                })?;
            }
        }
        let expected = em.mapv(|m| m > threshold);
        equal(
            &format!("edge_map({what}, {threshold}): shape"),
            &got.dim(),
            &(28, 28),
        )?;
        // A magnitude within rounding of the threshold (on images of k / 255, Gx = 255 / 255
        // can come out 1 +- 1 ulp depending on the order of the sums) may go either way.
        if let Some(((i, j), _)) = got.indexed_iter().find(|((i, j), e)| {
            **e != expected[[*i, *j]] && (em[[*i, *j]] - threshold).abs() > 1e-9
        }) {
            return Err(fail(format!(
                "edge_map({what}, {threshold})[{i}, {j}] = {}, expected {} (magnitude {})",
                got[[i, j]],
                expected[[i, j]],
                fmt(em[[i, j]])
            )));
        }
    }
    pass(
        "strict threshold; gradients, magnitude, orientation and edge maps of 4 Fashion-MNIST images match the grader's",
    )
}
