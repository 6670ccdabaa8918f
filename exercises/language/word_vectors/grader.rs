// Grader of language/word_vectors.

// The grader indexes plainly, with loops, on purpose.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2, array};
use rand::Rng as _;

use super::exercise::{cooccurrence, cosine, embed, nearest, ppmi, tokenize};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("cooccurrence", check_cooccurrence),
    ("ppmi", check_ppmi),
    ("truncated_svd", check_truncated_svd),
    ("similarity", check_similarity),
    ("moby_neighbours", check_moby_neighbours),
];

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The grader's co-occurrence counts, with the classic variants: `own` counts the word's own
/// position, `one_side` looks only to the right, `across` joins the paragraphs into one text,
/// `compact` removes the words outside the vocabulary before windowing.
fn counts_variant(
    paragraphs: &[Vec<String>],
    vocab: &[String],
    window: usize,
    own: bool,
    one_side: bool,
    across: bool,
    compact: bool,
) -> Array2<f64> {
    let n = vocab.len();
    let mut x = Array2::zeros((n, n));
    let joined: Vec<Vec<String>> = if across {
        vec![paragraphs.concat()]
    } else {
        paragraphs.to_vec()
    };
    for p in &joined {
        let p: Vec<String> = if compact {
            p.iter().filter(|t| vocab.contains(t)).cloned().collect()
        } else {
            p.clone()
        };
        for i in 0..p.len() {
            let Some(w) = vocab.iter().position(|v| *v == p[i]) else {
                continue;
            };
            for j in 0..p.len() {
                let d = i.abs_diff(j);
                if d > window || (d == 0 && !own) || (one_side && j < i) {
                    continue;
                }
                if let Some(c) = vocab.iter().position(|v| *v == p[j]) {
                    x[[w, c]] += 1.0;
                }
            }
        }
    }
    x
}

fn my_counts(paragraphs: &[Vec<String>], vocab: &[String], window: usize) -> Array2<f64> {
    counts_variant(paragraphs, vocab, window, false, false, false, false)
}

fn same(a: &Array2<f64>, b: &Array2<f64>, tol: f64) -> bool {
    a.dim() == b.dim() && a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() <= tol)
}

fn compare_counts(
    what: &str,
    paragraphs: &[Vec<String>],
    vocab: &[String],
    window: usize,
) -> Result<(), Failed> {
    let got = cooccurrence(paragraphs, vocab, window);
    let expected = my_counts(paragraphs, vocab, window);
    equal(
        &format!("{what}: shape (|V| x |V|)"),
        &got.dim(),
        &expected.dim(),
    )?;
    if same(&got, &expected, 1e-9) {
        return Ok(());
    }
    let one_short = if window > 1 {
        counts_variant(paragraphs, vocab, window - 1, false, false, false, false)
    } else {
        expected.clone()
    };
    let variants = [
        (
            one_short,
            "the window stopped one short: count the distances 1..=window on each side, \
             window included",
        ),
        (
            counts_variant(paragraphs, vocab, window, true, false, false, false),
            "the window counted the word itself (distance 0): only 1 <= distance <= window",
        ),
        (
            counts_variant(paragraphs, vocab, window, false, true, false, false),
            "the window looked at only one side: it is symmetric, window words on each side",
        ),
        (
            counts_variant(paragraphs, vocab, window, false, false, true, false),
            "the window ran across paragraph boundaries: count inside each paragraph",
        ),
        (
            counts_variant(paragraphs, vocab, window, false, false, false, true),
            "the words outside the vocabulary were removed before windowing: they keep their \
             positions (and are not counted)",
        ),
    ];
    for (values, why) in &variants {
        if same(&got, values, 1e-9) && !same(values, &expected, 1e-9) {
            return Err(fail(format!("{what}: {why}")));
        }
    }
    matrix_close(what, &got, &expected, 1e-9)
}

fn check_cooccurrence() -> Graded {
    // "white" and "a" are outside the vocabulary; "ship" stands alone in its paragraph.
    let paragraphs = vec![
        strings(&["the", "white", "whale", "the", "sea"]),
        strings(&["whale", "oil", "a", "lamp", "oil"]),
        strings(&["ship"]),
    ];
    let vocab = strings(&["the", "whale", "sea", "oil", "lamp", "ship"]);
    compare_counts("hand corpus, window 2", &paragraphs, &vocab, 2)
        .hint("for each position i of a vocabulary word, count the vocabulary words at positions j with 1 <= |i - j| <= window, in the same paragraph")?;
    let words = strings(&[
        "the", "whale", "sea", "oil", "ship", "ahab", "boat", "sperm",
    ]);
    let mut rng = split::rng(41);
    for case in 0..4 {
        let paragraphs: Vec<Vec<String>> = (0..6)
            .map(|_| {
                let len = rng.gen_range(0..10);
                (0..len)
                    .map(|_| words[rng.gen_range(0..words.len())].clone())
                    .collect()
            })
            .collect();
        let vocab: Vec<String> = words
            .iter()
            .filter(|_| rng.gen_range(0..4) > 0)
            .cloned()
            .collect();
        let window = 1 + case % 3;
        compare_counts(
            &format!("random corpus {case}, window {window}"),
            &paragraphs,
            &vocab,
            window,
        )?;
    }
    pass(
        "symmetric window counts inside paragraphs, the word itself excluded, on the hand corpus and 4 random ones",
    )
}

/// The grader's PPMI, with loops.
fn my_ppmi(x: &Array2<f64>) -> Array2<f64> {
    let (n, m) = x.dim();
    let total: f64 = x.iter().sum();
    let mut out = Array2::zeros((n, m));
    for w in 0..n {
        let row: f64 = (0..m).map(|c| x[[w, c]]).sum();
        for c in 0..m {
            let col: f64 = (0..n).map(|v| x[[v, c]]).sum();
            if x[[w, c]] > 0.0 {
                let pmi = (x[[w, c]] * total / (row * col)).ln();
                out[[w, c]] = if pmi > 0.0 { pmi } else { 0.0 };
            }
        }
    }
    out
}

fn compare_ppmi(what: &str, x: &Array2<f64>) -> Result<(), Failed> {
    let got = ppmi(x);
    let expected = my_ppmi(x);
    equal(&format!("{what}: shape"), &got.dim(), &expected.dim())?;
    if got.iter().any(|v| !v.is_finite()) {
        return Err(fail(format!(
            "{what}: ppmi gave NaN or infinite values: the log of zero was not handled (a zero \
             count, or a word with no co-occurrence at all, where PPMI is 0)"
        )));
    }
    if got.iter().any(|v| *v < 0.0) {
        return Err(fail(format!(
            "{what}: ppmi gave negative values: that is PMI without the positive clip \
             max(0, PMI)"
        )));
    }
    let scaled = |base: f64| expected.mapv(|v| v / base.ln());
    if same(&got, &scaled(2.0), 1e-9) && !same(&got, &expected, 1e-9) {
        return Err(fail(format!(
            "{what}: ppmi used log2: the natural log (ln) is asked"
        )));
    }
    matrix_close(what, &got, &expected, 1e-9)
}

fn check_ppmi() -> Graded {
    // Row 3 and column 3 are empty (a word that never co-occurs); several PMI values are
    // negative (cell [0, 2]: 1 * 20 / (5 * 9) < 1).
    let x = array![
        [0.0, 4.0, 1.0, 0.0],
        [4.0, 0.0, 2.0, 0.0],
        [1.0, 2.0, 6.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ];
    compare_ppmi("ppmi of a 4 x 4 hand matrix", &x)
        .hint("PPMI(w, c) = max(0, ln(X_wc N / (X_w X_c))) where X_wc > 0, and 0 where X_wc = 0")?;
    // Hand value: N = 20, X_0 = 5, X_1 = 6: ln(4 * 20 / 30) = 0.98083.
    close(
        "ppmi[0, 1] = ln(4 * 20 / (5 * 6))",
        ppmi(&x)[[0, 1]],
        (80.0f64 / 30.0).ln(),
        1e-9,
    )?;
    let mut rng = split::rng(43);
    for case in 0..4 {
        let n = rng.gen_range(3..9);
        let x = Array2::from_shape_fn((n, n), |_| {
            if rng.gen_range(0..3) == 0 {
                0.0
            } else {
                rng.gen_range(1..20) as f64
            }
        });
        compare_ppmi(&format!("ppmi of random counts {case} ({n} x {n})"), &x)?;
    }
    pass(
        "PPMI with ln, the positive clip and zeros where nothing co-occurs, on a hand matrix and 4 random ones",
    )
}

/// A random n x k matrix with orthonormal columns (Gram-Schmidt of a Gaussian matrix).
fn orthonormal(rng: &mut split::Rng, n: usize, k: usize) -> Array2<f64> {
    let mut q = Array2::<f64>::zeros((n, k));
    for j in 0..k {
        let mut v: Array1<f64> = (0..n).map(|_| rng.gen_range(-1.0..1.0)).collect();
        for i in 0..j {
            let d = q.column(i).dot(&v);
            v = v - d * &q.column(i);
        }
        let norm = v.dot(&v).sqrt();
        q.column_mut(j).assign(&(v / norm));
    }
    q
}

fn check_truncated_svd() -> Graded {
    let mut rng = split::rng(47);
    let spectrum = [9.0, 5.0, 3.0, 1.0, 0.5, 0.2];
    for (case, (n, k)) in [(8, 3), (10, 2), (7, 4)].into_iter().enumerate() {
        let d = spectrum.len();
        let u = orthonormal(&mut rng, n, d);
        let v = orthonormal(&mut rng, d, d);
        // Shift the matrix off the origin so that centring would change the answer.
        let m = u
            .dot(&Array2::from_diag(&Array1::from(spectrum.to_vec())))
            .dot(&v.t());
        let what = format!("case {case}: embed of a {n} x {d} matrix, k = {k}");
        let got = embed(&m, k, 100, 7 + case as u64);
        if got.dim() == (d, k) && d != n {
            return Err(fail(format!(
                "{what}: embed returned a {d} x {k} matrix, the shape of q (the right singular \
                 vectors): return the word vectors m q ({n} x {k})"
            )));
        }
        equal(&format!("{what}: shape (n x k)"), &got.dim(), &(n, k))?;
        ensure(got.iter().all(|x| x.is_finite()), || {
            format!(
                "{what}: the vectors contain NaN or infinite values (unless q is orthonormalized \
                 after every multiplication, it grows by the squared singular values each step)"
            )
        })?;
        // U_k S_k^2 U_k^T: the cosines and dot products between rows, whatever the rotation.
        let mut expected = Array2::zeros((n, n));
        for j in 0..k {
            let col = u.column(j);
            for a in 0..n {
                for b in 0..n {
                    expected[[a, b]] += spectrum[j] * spectrum[j] * col[a] * col[b];
                }
            }
        }
        let gram = got.dot(&got.t());
        if !same(&gram, &expected, 1e-6 * 81.0) {
            // Columns that all point the same way: the power iteration ran on each column
            // alone, without Gram-Schmidt between them.
            let unit: Vec<Array1<f64>> = (0..k)
                .map(|j| {
                    let c = got.column(j).to_owned();
                    let norm = c.dot(&c).sqrt();
                    if norm > 0.0 { c / norm } else { c }
                })
                .collect();
            let parallel = (1..k).any(|j| (0..j).any(|i| unit[i].dot(&unit[j]).abs() > 0.999));
            if parallel {
                return Err(fail(format!(
                    "{what}: two columns of your vectors are (nearly) parallel: they all \
                     converged to the top singular vector; orthogonalize the columns of q \
                     (Gram-Schmidt: subtract the projections on the previous columns, then \
                     normalize) after every multiplication"
                )));
            }
            let means_zero = (0..k).all(|j| got.column(j).sum().abs() < 1e-6);
            if means_zero {
                return Err(fail(format!(
                    "{what}: your vectors have column means 0: the matrix was centred (that is \
                     PCA, e.g. linfa-reduction's Pca), not a truncated SVD"
                )))
                .hint(
                    "do not subtract the column means: iterate q <- orth(m^T (m q)) on m itself",
                );
            }
            return matrix_close(
                &format!("{what}: the dot products between rows (E E^T = U_k S_k^2 U_k^T)"),
                &gram,
                &expected,
                1e-6 * 81.0,
            )
            .hint(
                "start from an orthonormal d x k matrix q; repeat q <- orth(m^T (m q)); return m q",
            )
            .map(|_| unreachable!());
        }
    }
    pass(
        "E E^T = U_k S_k^2 U_k^T (invariant to signs and rotations) on 3 matrices with known singular values",
    )
}

fn check_similarity() -> Graded {
    close(
        "cosine([1, 2], [2, 4]) (same direction)",
        cosine(array![1.0, 2.0].view(), array![2.0, 4.0].view()),
        1.0,
        1e-12,
    )?;
    close(
        "cosine([1, 0], [0, 3]) (orthogonal)",
        cosine(array![1.0, 0.0].view(), array![0.0, 3.0].view()),
        0.0,
        1e-12,
    )?;
    close(
        "cosine([1, 1], [-2, -2]) (opposite)",
        cosine(array![1.0, 1.0].view(), array![-2.0, -2.0].view()),
        -1.0,
        1e-12,
    )?;
    close(
        "cosine([0, 0], [1, 2]) (a zero vector: 0 by convention)",
        cosine(array![0.0, 0.0].view(), array![1.0, 2.0].view()),
        0.0,
        1e-12,
    )
    .hint("return 0 when either norm is 0 (avoid 0 / 0 = NaN)")?;
    // "the" is long (frequent words have large PPMI rows): the dot product ranks it first.
    let vocab = strings(&["the", "whale", "sea", "whales", "oil"]);
    let vectors = array![[10.0, 10.0], [1.0, 0.0], [0.2, 0.6], [0.9, 0.1], [0.0, 0.0]];
    let got = nearest(&vectors, &vocab, "whale", 3);
    let expected = strings(&["whales", "the", "sea"]);
    if got == strings(&["the", "whales", "sea"]) {
        return Err(fail(
            "nearest(\"whale\", 3) = [\"the\", \"whales\", \"sea\"]: ranked by dot product instead of cosine (long vectors of frequent words dominate)",
        ));
    }
    if got.first().map(String::as_str) == Some("whale") {
        return Err(fail(format!(
            "nearest(\"whale\", 3) = {got:?}: the word itself is in its own neighbours: leave it out"
        )));
    }
    equal("nearest(\"whale\", 3) on hand vectors", &got, &expected)?;
    equal(
        "nearest(\"kraken\", 3) (not in the vocabulary)",
        &nearest(&vectors, &vocab, "kraken", 3),
        &Vec::<String>::new(),
    )?;
    let mut rng = split::rng(53);
    let words: Vec<String> = (0..12).map(|i| format!("w{i}")).collect();
    for case in 0..3 {
        let vectors: Array2<f64> = Array2::from_shape_fn((12, 4), |_| rng.gen_range(-1.0..1.0));
        let target = rng.gen_range(0..12);
        let mut scored: Vec<(f64, usize)> = (0..12)
            .filter(|&i| i != target)
            .map(|i| {
                let (a, b) = (vectors.row(target), vectors.row(i));
                (a.dot(&b) / (a.dot(&a).sqrt() * b.dot(&b).sqrt()), i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let expected: Vec<String> = scored
            .iter()
            .take(5)
            .map(|(_, i)| words[*i].clone())
            .collect();
        equal(
            &format!("random vectors {case}: nearest({:?}, 5)", words[target]),
            &nearest(&vectors, &words, &words[target], 5),
            &expected,
        )?;
    }
    pass(
        "cosine (0 for a zero vector), and neighbours by cosine, not dot product, the word itself left out",
    )
}

/// The grader's copy of the tokenizer given in the stub.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.to_lowercase().chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            out.push(word.clone());
            word.clear();
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Probe words and related words, at least one of which should be among the 10 neighbours.
const PROBES: [(&str, &[&str]); 6] = [
    ("whale", &["whales", "sperm", "fish", "leviathan"]),
    ("boat", &["boats", "ship", "canoe", "craft"]),
    ("starbuck", &["stubb", "flask", "ahab", "queequeg"]),
    ("sea", &["ocean", "seas", "water", "waters", "ship", "boat"]),
    (
        "head",
        &["heads", "tail", "jaw", "mouth", "face", "arm", "hand"],
    ),
    ("three", &["two", "four", "five", "six"]),
];

fn check_moby_neighbours() -> Graded {
    let table = Table::dataset("moby_dick.csv")
        .map_err(|e| fail(format!("the grader could not load moby_dick.csv: {e}")))?;
    let paragraphs: Vec<Vec<String>> = table
        .text_column("text")
        .map_err(|e| fail(format!("moby_dick.csv: {e}")))?
        .iter()
        .map(|t| tokens(t.unwrap_or("")))
        .collect();
    let first = table
        .text_column("text")
        .map_err(|e| fail(format!("moby_dick.csv: {e}")))?[0]
        .unwrap_or("")
        .to_string();
    equal(
        "tokenize(the first paragraph): the given tokenizer was changed",
        &tokenize(&first),
        &tokens(&first),
    )?;
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for w in paragraphs.iter().flatten() {
        *freq.entry(w).or_insert(0) += 1;
    }
    let mut by_count: Vec<(&str, usize)> = freq.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let vocab: Vec<String> = by_count
        .iter()
        .take(1000)
        .map(|(w, _)| w.to_string())
        .collect();
    let expected_counts = my_counts_fast(&paragraphs, &vocab, 2);
    let counts = cooccurrence(&paragraphs, &vocab, 2);
    if !same(&counts, &expected_counts, 1e-9) {
        matrix_close(
            "Moby-Dick co-occurrence counts (1000 words, window 2)",
            &counts,
            &expected_counts,
            1e-9,
        )?;
    }
    let m = my_ppmi_fast(&expected_counts);
    let got_ppmi = ppmi(&expected_counts);
    if !same(&got_ppmi, &m, 1e-9) {
        matrix_close("Moby-Dick PPMI", &got_ppmi, &m, 1e-9)?;
    }
    let vectors = embed(&m, 50, 20, 1);
    equal("Moby-Dick vectors: shape", &vectors.dim(), &(1000, 50))?;
    ensure(vectors.iter().all(|x| x.is_finite()), || {
        "Moby-Dick vectors contain NaN or infinite values".to_string()
    })?;
    let norms: Vec<f64> = vectors
        .rows()
        .into_iter()
        .map(|r| r.dot(&r).sqrt())
        .collect();
    let mut lines = Vec::new();
    let mut hits = 0;
    for (probe, related) in PROBES {
        let t = vocab.iter().position(|w| w == probe).unwrap_or(0);
        let mut scored: Vec<(f64, usize)> = (0..vocab.len())
            .filter(|&i| i != t)
            .map(|i| {
                let d = vectors.row(t).dot(&vectors.row(i));
                let n = norms[t] * norms[i];
                (if n > 0.0 { d / n } else { 0.0 }, i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let top: Vec<&str> = scored
            .iter()
            .take(10)
            .map(|(_, i)| vocab[*i].as_str())
            .collect();
        if probe == "whale" {
            let expected: Vec<String> = top.iter().map(|w| w.to_string()).collect();
            equal(
                "your nearest(vectors, vocab, \"whale\", 10) against the grader's cosine ranking",
                &nearest(&vectors, &vocab, "whale", 10),
                &expected,
            )?;
        }
        if top.iter().any(|w| related.contains(w)) {
            hits += 1;
        }
        lines.push(format!("{probe}: {}", top.join(" ")));
    }
    let report = lines.join("; ");
    // The reference finds a related word for all 6 probes; 4 leaves room for another
    // iteration count or start, while vectors that mean nothing find almost none.
    ensure(hits >= 4, || {
        format!(
            "only {hits} of 6 probe words have a related word among their 10 neighbours (4 needed): {report}"
        )
    })?;
    pass(format!(
        "{hits} of 6 probe words have a related word among their 10 cosine neighbours: {report}"
    ))
}

/// `my_counts` with a word index (the same counts, fast enough for the whole book).
fn my_counts_fast(paragraphs: &[Vec<String>], vocab: &[String], window: usize) -> Array2<f64> {
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i))
        .collect();
    let mut x = Array2::zeros((vocab.len(), vocab.len()));
    for p in paragraphs {
        for i in 0..p.len() {
            let Some(&w) = index.get(p[i].as_str()) else {
                continue;
            };
            for j in i.saturating_sub(window)..p.len().min(i + window + 1) {
                if let (true, Some(&c)) = (j != i, index.get(p[j].as_str())) {
                    x[[w, c]] += 1.0;
                }
            }
        }
    }
    x
}

/// `my_ppmi` with the sums computed once.
fn my_ppmi_fast(x: &Array2<f64>) -> Array2<f64> {
    let (n, m) = x.dim();
    let total: f64 = x.iter().sum();
    let rows: Vec<f64> = (0..n).map(|w| x.row(w).sum()).collect();
    let cols: Vec<f64> = (0..m).map(|c| x.column(c).sum()).collect();
    Array2::from_shape_fn((n, m), |(w, c)| {
        let v = x[[w, c]];
        if v > 0.0 {
            (v * total / (rows[w] * cols[c])).ln().max(0.0)
        } else {
            0.0
        }
    })
}
