// Grader of foundations/matrices.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array2, array};
use rand::Rng;

use super::exercise::{product, solve, transpose};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("product", check_product),
    ("transpose", check_transpose),
    ("solve", check_solve),
    ("pivoting", check_pivoting),
    ("singular", check_singular),
];

/// Tolerance on entries of order 1 to 100 computed with a few roundings.
const TOL: f64 = 1e-9;

fn flat(x: &Array2<f64>) -> Vec<f64> {
    x.iter().copied().collect()
}

/// A seeded random matrix with entries in [-2, 2).
fn random_matrix(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut r = rng(seed);
    Array2::from_shape_simple_fn((rows, cols), || r.gen_range(-2.0..2.0))
}

/// The grader's own product, by the definition (three loops).
fn my_product(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
        (0..a.ncols()).map(|k| a[[i, k]] * b[[k, j]]).sum()
    })
}

fn my_transpose(a: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((a.ncols(), a.nrows()), |(j, i)| a[[i, j]])
}

fn near(got: &Array2<f64>, expected: &Array2<f64>) -> bool {
    got.dim() == expected.dim() && got.iter().zip(expected).all(|(g, e)| (g - e).abs() <= TOL)
}

fn matrix_close(what: &str, got: &Array2<f64>, expected: &Array2<f64>) -> Result<(), Failed> {
    equal(&format!("{what}: shape"), &got.dim(), &expected.dim())?;
    all_close(
        &format!("{what} (row-major)"),
        &flat(got),
        &flat(expected),
        TOL,
    )
}

/// Compare `product(a, b)` with the definition, naming the classic mistakes.
fn product_case(what: &str, a: &Array2<f64>, b: &Array2<f64>) -> Result<(), Failed> {
    let got = product(a, b);
    let expected = my_product(a, b);
    if !near(&got, &expected) {
        if a.dim() == b.dim() && near(&got, &(a * b)) {
            return Err(fail(format!(
                "{what}: you computed the element-wise product `a * b`, not a matrix product"
            )))
            .hint(
                "in ndarray `*` multiplies element by element; the matrix product is `a.dot(b)`",
            );
        }
        if near(&got, &my_transpose(&expected)) {
            return Err(fail(format!(
                "{what}: you returned the transposed product (a b)^T = b^T a^T"
            )))
            .hint("entry [i, j] is row i of a times column j of b, not row j times column i");
        }
        if b.ncols() == a.nrows() && near(&got, &my_product(b, a)) {
            return Err(fail(format!(
                "{what}: you computed b a: the matrix product is not commutative"
            )))
            .hint("the order matters: compute a.dot(b), a on the left");
        }
    }
    matrix_close(what, &got, &expected)
        .hint("entry [i, j] is the sum over k of a[i, k] b[k, j]: in ndarray, `a.dot(b)`")
}

fn check_product() -> Graded {
    // Square matrices first: there the element-wise product `a * b` is defined too (it would
    // panic on a 2 x 3 and a 3 x 2), so the report can name it.
    let a = array![[1.0, 2.0], [3.0, 4.0]];
    let b = array![[0.0, 1.0], [1.0, 0.0]];
    product_case("product([[1,2],[3,4]], [[0,1],[1,0]])", &a, &b)?;
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
    // By hand: [1*7+2*9+3*11, 1*8+2*10+3*12; 4*7+5*9+6*11, 4*8+5*10+6*12].
    let got = product(&a, &b);
    if got.dim() == (3, 3) {
        return Err(fail("product(a 2x3, b 3x2) is 3 x 3: that is b a, not a b"))
            .hint("a b has the rows of a and the columns of b: 2 x 2");
    }
    let what = "product([[1,2,3],[4,5,6]], [[7,8],[9,10],[11,12]])";
    product_case(what, &a, &b)?;
    matrix_close(what, &got, &array![[58.0, 64.0], [139.0, 154.0]])?;
    // Hidden: a 3 x 4 times a 4 x 5 seeded matrix.
    product_case(
        "product of hidden 3x4 and 4x5 matrices",
        &random_matrix(3, 4, 41),
        &random_matrix(4, 5, 42),
    )?;
    pass("a b: 2x2 (not element-wise, not b a), 2x3 times 3x2, 3x4 times 4x5")
}

fn check_transpose() -> Graded {
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let got = transpose(&a);
    equal("transpose([[1,2,3],[4,5,6]]): shape", &got.dim(), &(3, 2))?;
    if flat(&got) == flat(&a) {
        return Err(fail("transpose([[1,2,3],[4,5,6]]) gave [[1,2],[3,4],[5,6]]: the values were reshaped, not transposed"))
            .hint("row i of a must become column i: `a.t()` is the transposed view, `.to_owned()` copies it");
    }
    matrix_close(
        "transpose([[1,2,3],[4,5,6]])",
        &got,
        &array![[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]],
    )
    .hint("entry [j, i] of the transpose is a[i, j]: `a.t().to_owned()`")?;
    let hidden = random_matrix(4, 2, 43);
    matrix_close(
        "transpose of a hidden 4x2 matrix",
        &transpose(&hidden),
        &my_transpose(&hidden),
    )?;
    pass("rows become columns")
}

/// `solve(a, b)` must give `expected`; names the transposed system and a missing answer.
fn solve_case(
    what: &str,
    a: &Array2<f64>,
    b: &Array1<f64>,
    expected: &Array1<f64>,
    tol: f64,
) -> Result<(), Failed> {
    let Some(x) = solve(a, b) else {
        return Err(fail(format!(
            "{what}: returned None, but the matrix is invertible"
        )))
        .hint("return None only when the largest available pivot is below SINGULAR");
    };
    equal(&format!("{what}: length of x"), &x.len(), &expected.len())?;
    let at = my_transpose(a);
    let transposed = Array1::from_iter(
        (0..b.len()).map(|i| (0..b.len()).map(|k| at[[i, k]] * x[k]).sum::<f64>()),
    );
    if (0..b.len()).all(|i| (transposed[i] - b[i]).abs() < 1e-9)
        && !(0..b.len()).all(|i| (x[i] - expected[i]).abs() <= tol)
    {
        return Err(fail(format!(
            "{what}: your x solves a^T x = b, the transposed system"
        )))
        .hint("row i of a is equation i: a[i, j] multiplies x[j]");
    }
    all_close(&format!("{what}: x"), &x.to_vec(), &expected.to_vec(), tol).hint(
        "eliminate below each pivot (update b with the same factors), then substitute back from the last unknown up",
    )
}

fn check_solve() -> Graded {
    // 2x + y = 3, x + 3y = 5: by Cramer's rule x = (9 - 5) / 5, y = (10 - 3) / 5.
    solve_case(
        "solve([[2,1],[1,3]], [3,5])",
        &array![[2.0, 1.0], [1.0, 3.0]],
        &array![3.0, 5.0],
        &array![0.8, 1.4],
        TOL,
    )?;
    // The classic 3x3 example: x = 2, y = 3, z = -1 (substitute to check).
    let a = array![[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]];
    solve_case(
        "solve([[2,1,-1],[-3,-1,2],[-2,1,2]], [8,-11,-3])",
        &a,
        &array![8.0, -11.0, -3.0],
        &array![2.0, 3.0, -1.0],
        TOL,
    )?;
    // Hidden: a 6x6 seeded system built from a known x (b = a x), diagonally dominant so
    // well conditioned: any correct elimination lands within 1e-8.
    let mut a = random_matrix(6, 6, 44);
    for i in 0..6 {
        a[[i, i]] += 8.0;
    }
    let x = Array1::from_iter((0..6).map(|i| i as f64 - 2.5));
    let b = Array1::from_iter((0..6).map(|i| (0..6).map(|k| a[[i, k]] * x[k]).sum::<f64>()));
    let a_before = a.clone();
    solve_case("solve of a hidden 6x6 system", &a, &b, &x, 1e-8)?;
    equal(
        "the matrix a after solve (it must not change)",
        &a,
        &a_before,
    )?;
    pass("2x2, 3x3 and a hidden 6x6 system solved within 1e-9 / 1e-8")
}

fn check_pivoting() -> Graded {
    // y = 1 and x + y = 2: the first pivot is 0, so rows must be swapped.
    let got = solve(&array![[0.0, 1.0], [1.0, 1.0]], &array![1.0, 2.0]);
    if got
        .as_ref()
        .is_some_and(|x| x.iter().any(|v| !v.is_finite()))
    {
        return Err(fail(format!("solve([[0,1],[1,1]], [1,2]) = {:?}: divided by the zero pivot a[0, 0]", got.map(|x| x.to_vec()))))
            .hint("partial pivoting: before eliminating column k, swap row k with the row (at or below k) whose |a[i, k]| is largest");
    }
    solve_case(
        "solve([[0,1],[1,1]], [1,2]) (zero first pivot)",
        &array![[0.0, 1.0], [1.0, 1.0]],
        &array![1.0, 2.0],
        &array![1.0, 1.0],
        TOL,
    )
    .hint(
        "partial pivoting: swap in the row with the largest |a[i, k]| before eliminating column k",
    )?;
    // 1e-20 x + y = 1, x + y = 2: the exact solution is x = 1 / (1 - 1e-20), y = (1 - 2e-20) / (1 - 1e-20),
    // both 1 to within 1e-19. Eliminating with the tiny pivot 1e-20 rounds 1 - 1e20 to -1e20
    // and gives x = 0.
    let tiny = solve(&array![[1e-20, 1.0], [1.0, 1.0]], &array![1.0, 2.0]);
    if tiny.is_none() {
        return Err(fail(
            "solve([[1e-20,1],[1,1]], [1,2]) returned None, but the matrix is invertible: the pivot 1e-20 is tiny, yet row 1 offers the pivot 1",
        ))
        .hint("pick the row with the LARGEST |a[i, k]| as pivot first, and only then compare that pivot with SINGULAR");
    }
    if let Some(x) = &tiny
        && x.len() == 2
        && x[0].abs() < 0.5
        && (x[1] - 1.0).abs() < 1e-6
    {
        return Err(fail(format!(
            "solve([[1e-20,1],[1,1]], [1,2]) gave x = {}, y = {}: x is lost to rounding by the tiny pivot 1e-20",
            fmt(x[0]),
            fmt(x[1])
        )))
        .hint("partial pivoting picks the LARGEST |a[i, k]| as pivot, not just any non-zero one");
    }
    solve_case(
        "solve([[1e-20,1],[1,1]], [1,2]) (tiny first pivot)",
        &array![[1e-20, 1.0], [1.0, 1.0]],
        &array![1.0, 2.0],
        &array![1.0, 1.0],
        TOL,
    )?;
    pass("a zero and a tiny first pivot are handled by swapping rows")
}

fn check_singular() -> Graded {
    let cases = [
        (
            "solve([[1,2],[2,4]], [3,6]) (row 2 = 2 x row 1)",
            array![[1.0, 2.0], [2.0, 4.0]],
            array![3.0, 6.0],
        ),
        (
            "solve([[1,2,3],[4,5,6],[5,7,9]], [1,2,3]) (row 3 = row 1 + row 2)",
            array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [5.0, 7.0, 9.0]],
            array![1.0, 2.0, 3.0],
        ),
        (
            "solve of the 2x2 zero matrix",
            Array2::zeros((2, 2)),
            array![1.0, 1.0],
        ),
    ];
    for (what, a, b) in cases {
        if let Some(x) = solve(&a, &b) {
            return Err(fail(format!(
                "{what}: expected None (singular), got Some({:?})",
                x.to_vec()
            )))
            .hint(
                "after pivoting, if |pivot| < SINGULAR (1e-10) the matrix is singular: return None",
            );
        }
    }
    pass("singular matrices give None")
}
