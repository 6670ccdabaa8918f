// Grader of production/drift.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use rand::Rng as _;

use super::exercise::{decile_edges, first_alert, ks_critical, ks_statistic, psi};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("deciles", check_deciles),
    ("psi", check_psi),
    ("ks", check_ks),
    ("windows", check_windows),
    ("co2_alert", check_co2_alert),
];

const TOL: f64 = 1e-9;
const FLOOR: f64 = 1e-4;

// ---------------------------------------------------------------- the grader's own measures

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The ways to write linear interpolation between a and b at fraction f: equal in exact
/// arithmetic, but an edge that lands on a data value can differ by one ulp between them, which
/// moves that value across the edge. The grader accepts any of them.
#[derive(Clone, Copy)]
enum Lerp {
    /// a + f (b - a), the statement's form (exact when a == b).
    Stated,
    /// (1 - f) a + f b.
    Weighted,
    /// numpy's: a + f (b - a) below f = 0.5, b - (1 - f)(b - a) from it.
    Numpy,
}

const LERPS: [Lerp; 3] = [Lerp::Stated, Lerp::Weighted, Lerp::Numpy];

/// Numpy's linear quantile (type 7) at q = k / 10. The position h = (n - 1) k / 10 can be
/// written (n - 1) * (k / 10) or (n - 1) * k / 10: when it is a whole number the first can land
/// one ulp below it (90 * 0.7 = 62.99999999999999), which moves an edge by an ulp and a value
/// equal to it across. The grader accepts both, as it accepts every form of [`Lerp`].
fn quantile(values: &[f64], k: usize, product_first: bool, lerp: Lerp) -> f64 {
    let v = sorted(values);
    let h = if product_first {
        ((v.len() - 1) * k) as f64 / 10.0
    } else {
        (v.len() - 1) as f64 * (k as f64 / 10.0)
    };
    let below = h.floor() as usize;
    let above = (below + 1).min(v.len() - 1);
    let (a, b, f) = (v[below], v[above], h - below as f64);
    match lerp {
        Lerp::Stated => a + f * (b - a),
        Lerp::Weighted => (1.0 - f) * a + f * b,
        Lerp::Numpy if f < 0.5 => a + f * (b - a),
        Lerp::Numpy => b - (1.0 - f) * (b - a),
    }
}

fn edges_by(values: &[f64], product_first: bool, lerp: Lerp) -> Vec<f64> {
    (1..=9)
        .map(|k| quantile(values, k, product_first, lerp))
        .collect()
}

fn my_edges(values: &[f64]) -> Vec<f64> {
    edges_by(values, true, Lerp::Stated)
}

/// Shares per bin: bin b holds edges[b-1] < v <= edges[b] (outer bins open), floored or not.
fn my_shares(values: &[f64], edges: &[f64], floor: f64) -> Vec<f64> {
    let mut counts = vec![0usize; edges.len() + 1];
    for &v in values {
        let mut b = 0;
        while b < edges.len() && edges[b] < v {
            b += 1;
        }
        counts[b] += 1;
    }
    counts
        .iter()
        .map(|&c| (c as f64 / values.len() as f64).max(floor))
        .collect()
}

fn psi_with(a: &[f64], e: &[f64], one_sided: bool) -> f64 {
    let mut total = 0.0;
    for (a, e) in a.iter().zip(e) {
        total += if one_sided {
            a * (a / e).ln()
        } else {
            (a - e) * (a / e).ln()
        };
    }
    total
}

fn my_psi(reference: &[f64], current: &[f64]) -> f64 {
    psi_by(reference, current, true, Lerp::Stated)
}

fn psi_by(reference: &[f64], current: &[f64], product_first: bool, lerp: Lerp) -> f64 {
    let edges = edges_by(reference, product_first, lerp);
    psi_with(
        &my_shares(current, &edges, FLOOR),
        &my_shares(reference, &edges, FLOOR),
        false,
    )
}

fn ecdf(sample: &[f64], t: f64) -> f64 {
    sample.iter().filter(|&&x| x <= t).count() as f64 / sample.len() as f64
}

/// D over the given evaluation points.
fn ks_at(reference: &[f64], current: &[f64], points: &[f64]) -> f64 {
    let mut d: f64 = 0.0;
    for &t in points {
        d = d.max((ecdf(reference, t) - ecdf(current, t)).abs());
    }
    d
}

fn my_ks(reference: &[f64], current: &[f64]) -> f64 {
    let pooled: Vec<f64> = reference.iter().chain(current).copied().collect();
    ks_at(reference, current, &pooled)
}

fn my_critical(n: usize, m: usize) -> f64 {
    1.358 * ((n + m) as f64 / (n * m) as f64).sqrt()
}

/// Window starts 0, s, 2s, ... with start + w <= len (or < len for the off-by-one variant).
fn my_first_alert(
    reference: &[f64],
    stream: &[f64],
    w: usize,
    s: usize,
    last_fits: bool,
) -> Option<usize> {
    let critical = my_critical(reference.len(), w);
    let mut start = 0;
    while start + w < stream.len() || (last_fits && start + w == stream.len()) {
        if my_ks(reference, &stream[start..start + w]) > critical {
            return Some(start);
        }
        start += s;
    }
    None
}

// ---------------------------------------------------------------- seeded samples

/// Roughly normal values (sum of 4 uniforms), rounded to `decimals` so that values tie.
fn sample(
    r: &mut learnml_kit::split::Rng,
    n: usize,
    centre: f64,
    spread: f64,
    decimals: i32,
) -> Vec<f64> {
    let scale = 10f64.powi(decimals);
    (0..n)
        .map(|_| {
            let z: f64 = (0..4).map(|_| r.gen_range(-1.0..1.0)).sum::<f64>() * 0.866;
            ((centre + spread * z) * scale).round() / scale
        })
        .collect()
}

// ---------------------------------------------------------------- checks

fn check_deciles() -> Graded {
    // Public: 0..=10 has deciles 1, 2, ..., 9 exactly; 1..=5 interpolates.
    let ten: Vec<f64> = (0..=10).map(f64::from).collect();
    let tiny = [5.0, 1.0, 4.0, 2.0, 3.0];
    let mut r = rng(5);
    let mut cases = vec![ten, tiny.to_vec()];
    for _ in 0..6 {
        let n = r.gen_range(7..60);
        cases.push(sample(&mut r, n, 10.0, 3.0, 0));
    }
    for (c, values) in cases.iter().enumerate() {
        let got = decile_edges(values);
        let expected = my_edges(values);
        let what = format!("decile_edges of case {c} ({} values)", values.len());
        equal(&format!("{what}: number of edges"), &got.len(), &9)
            .hint("10 bins need 9 inner edges: q = 0.1, 0.2, ..., 0.9")?;
        for (k, (&g, &e)) in got.iter().zip(&expected).enumerate() {
            let v = sorted(values);
            let h = (v.len() - 1) as f64 * (k + 1) as f64 / 10.0;
            let nearest = v[(h.round() as usize).min(v.len() - 1)];
            let lower = v[h.floor() as usize];
            // Other positions met in the wild: h = n q, and h = (n + 1) q - 1 (R's type 6).
            let at = |h: f64| {
                let h = h.clamp(0.0, (v.len() - 1) as f64);
                let lo = h.floor() as usize;
                let hi = (lo + 1).min(v.len() - 1);
                v[lo] + (h - lo as f64) * (v[hi] - v[lo])
            };
            let q = (k + 1) as f64 / 10.0;
            let n_q = at(v.len() as f64 * q);
            let type_6 = at((v.len() + 1) as f64 * q - 1.0);
            close_naming(
                &format!("{what}, edge {} (q = 0.{})", k + 1, k + 1),
                g,
                e,
                TOL,
                &[
                    (nearest, "the nearest rank, not numpy's linear interpolation"),
                    (lower, "the lower value, not numpy's linear interpolation"),
                    (
                        n_q,
                        "the position h = n q; numpy's linear quantile sits at h = (n - 1) q \
                         (0-based), so that q = 0 and q = 1 give the minimum and the maximum",
                    ),
                    (
                        type_6,
                        "the position h = (n + 1) q - 1 (R's type 6, Excel's PERCENTILE.EXC); \
                         numpy's default is h = (n - 1) q",
                    ),
                ],
            )
            .hint("h = (n - 1) * q; interpolate between the sorted values at floor(h) and floor(h) + 1")?;
        }
    }
    pass("9 decile edges by linear interpolation (numpy's default) on 8 samples with ties")
}

fn check_one_psi(what: &str, reference: &[f64], current: &[f64]) -> Result<f64, Failed> {
    let got = psi(reference, current);
    let expected = my_psi(reference, current);
    let near = |value: f64| (got - value).abs() <= TOL * value.abs().max(1.0);
    let any_form = [true, false].iter().any(|&product_first| {
        LERPS
            .iter()
            .any(|&lerp| near(psi_by(reference, current, product_first, lerp)))
    });
    if any_form {
        return Ok(got);
    }
    let edges = my_edges(reference);
    let unfloored = psi_with(
        &my_shares(current, &edges, 0.0),
        &my_shares(reference, &edges, 0.0),
        false,
    );
    if !got.is_finite() {
        return Err(fail(format!(
            "{what}: PSI = {got}, not finite: an empty bin gives ln(0 / e); floor the shares at 1e-4 (the \
             convention of most monitoring tools) so that PSI stays finite"
        )))
        .hint("share = (count / n).max(1e-4), for both samples, before the logarithm");
    }
    let current_edges = my_edges(current);
    let from_current = psi_with(
        &my_shares(current, &current_edges, FLOOR),
        &my_shares(reference, &current_edges, FLOOR),
        false,
    );
    let upper_bin = {
        let upper = |values: &[f64]| -> Vec<f64> {
            let mut counts = [0usize; 10];
            for &v in values {
                counts[edges.iter().filter(|&&e| e <= v).count()] += 1;
            }
            counts
                .iter()
                .map(|&c| (c as f64 / values.len() as f64).max(FLOOR))
                .collect()
        };
        psi_with(&upper(current), &upper(reference), false)
    };
    let one_sided = psi_with(
        &my_shares(current, &edges, FLOOR),
        &my_shares(reference, &edges, FLOOR),
        true,
    );
    let tenths = psi_with(&my_shares(current, &edges, FLOOR), &[0.1; 10], false);
    let tol = TOL * expected.abs().max(1.0);
    close_naming(
        what,
        got,
        expected,
        tol,
        &[
            (
                from_current,
                "the bins were cut at the CURRENT sample's deciles; they come from the reference",
            ),
            (
                one_sided,
                "that is KL's one-sided Σ a ln(a / e); PSI is Σ (a - e) ln(a / e), symmetric",
            ),
            (unfloored, "the shares were not floored at 1e-4"),
            (
                tenths,
                "every reference share was taken as 0.1; with ties the deciles do not split the \
                 reference into exact tenths: count its shares in the bins too",
            ),
            (
                upper_bin,
                "a value equal to an edge went to the upper bin; it belongs to the LOWER bin \
                 (bin = number of edges strictly below the value)",
            ),
        ],
    )
    .hint("edges = deciles of the reference; PSI = Σ (a - e) * ln(a / e) over the 10 bins")?;
    Ok(got)
}

fn check_psi() -> Graded {
    let mut r = rng(17);
    // Stable, shifted, and squeezed current samples (values rounded: ties on the edges).
    let mut values = Vec::new();
    for c in 0..8 {
        let n_ref = r.gen_range(150..400);
        let n_cur = r.gen_range(60..300);
        let reference = sample(&mut r, n_ref, 50.0, 8.0, 1);
        let (centre, spread) = match c % 4 {
            0 => (50.0, 8.0),
            1 => (53.0, 8.0),
            2 => (50.0, 4.0),
            _ => (45.0, 11.0),
        };
        let current = sample(&mut r, n_cur, centre, spread, 1);
        values.push(check_one_psi(
            &format!("psi, case {c} (reference {n_ref} values, current {n_cur})"),
            &reference,
            &current,
        )?);
    }
    // 91 integers: the 0.7 edge sits at position 90 * 0.7, a whole number that one way of
    // computing it misses by an ulp; the current sample holds values equal to that edge.
    let integers: Vec<f64> = (0..=90).map(f64::from).collect();
    let on_edges: Vec<f64> = (0..120).map(|_| r.gen_range(40..=90) as f64).collect();
    check_one_psi(
        "psi of integers 40..=90 against the reference 0..=90 (values on the edges)",
        &integers,
        &on_edges,
    )?;
    // Empty bins: the current sample sits above the reference's median.
    let reference = sample(&mut r, 300, 50.0, 8.0, 1);
    let current: Vec<f64> = sample(&mut r, 200, 62.0, 3.0, 1);
    let shifted = check_one_psi(
        "psi with the current sample above the reference's median (empty bins)",
        &reference,
        &current,
    )?;
    let stable = check_one_psi(
        "psi of the reference against itself",
        &reference,
        &reference,
    )?;
    close("psi of the reference against itself", stable, 0.0, TOL)?;
    pass(format!(
        "PSI within 1e-9 on 8 seeded pairs (e.g. same distribution {}, mean +3: {}) and with \
         empty bins ({}: far above the 0.25 of a major shift); 0 against itself",
        fmt(values[0]),
        fmt(values[1]),
        fmt(shifted)
    ))
}

fn check_ks() -> Graded {
    for (n, m) in [(100, 50), (1000, 1000), (104, 52), (7, 3)] {
        close_naming(
            &format!("ks_critical({n}, {m})"),
            ks_critical(n, m),
            my_critical(n, m),
            TOL,
            &[(
                1.358 * (1.0 / n as f64 + 1.0 / m as f64),
                "without the square root",
            )],
        )
        .hint("1.358 * ((n + m) / (n * m)).sqrt()")?;
    }
    let mut r = rng(23);
    let mut named = 0;
    for c in 0..12 {
        let n_ref = r.gen_range(5..80);
        let n_cur = r.gen_range(5..80);
        let reference = sample(&mut r, n_ref, 20.0, 4.0, 0);
        let centre = 20.0 + r.gen_range(-3.0..3.0);
        let spread = r.gen_range(1.0..6.0);
        let current = sample(&mut r, n_cur, centre, spread, 0);
        let got = ks_statistic(&reference, &current);
        let expected = my_ks(&reference, &current);
        let at_reference = ks_at(&reference, &current, &reference);
        let at_current = ks_at(&reference, &current, &current);
        let signed = |sign: f64| {
            let mut d: f64 = 0.0;
            for &t in reference.iter().chain(&current) {
                d = d.max(sign * (ecdf(&reference, t) - ecdf(&current, t)));
            }
            d
        };
        let (ref_above, cur_above) = (signed(1.0), signed(-1.0));
        if (at_reference - expected).abs() > TOL {
            named += 1;
        }
        close_naming(
            &format!("ks_statistic, case {c} ({n_ref} and {n_cur} values, with ties)"),
            got,
            expected,
            TOL,
            &[
                (
                    at_reference,
                    "evaluated only at the reference points; the sup can sit at a current value",
                ),
                (
                    at_current,
                    "evaluated only at the current points; the sup can sit at a reference value",
                ),
                (
                    ref_above,
                    "one-sided: the largest F_ref - F_cur, without the absolute value; D takes \
                     |F_ref - F_cur| (a shift either way)",
                ),
                (
                    cur_above,
                    "one-sided: the largest F_cur - F_ref, without the absolute value; D takes \
                     |F_ref - F_cur| (a shift either way)",
                ),
            ],
        )
        .hint(
            "evaluate |F_ref(t) - F_cur(t)| at every value of BOTH samples, F(t) = #{x <= t} / n",
        )?;
    }
    pass(format!(
        "critical values 1.358 sqrt((n + m) / (n m)); D within 1e-9 on 12 seeded pairs with ties \
         ({named} of them have their sup at a current value)"
    ))
}

fn check_windows() -> Graded {
    let mut r = rng(31);
    let mut report = Vec::new();
    for c in 0..6 {
        let reference = sample(&mut r, 200, 0.0, 1.0, 2);
        let w = r.gen_range(30..60);
        let s = r.gen_range(5..15);
        let len = w + s * r.gen_range(8..20);
        let shift_at = r.gen_range(0..len);
        let stream: Vec<f64> = (0..len)
            .map(|i| {
                let v = sample(&mut r, 1, 0.0, 1.0, 2)[0];
                if i >= shift_at { v + 1.5 } else { v }
            })
            .collect();
        report.push(compare_alert(
            &format!("case {c} (w = {w}, s = {s}, {len} values)"),
            &reference,
            &stream,
            w,
            s,
        )?);
    }
    // Only the last full window drifts: the stream is exactly 0, s, ..., 6s plus w long.
    let reference = sample(&mut r, 200, 0.0, 1.0, 2);
    let (w, s) = (40, 10);
    let len = 6 * s + w;
    let stream: Vec<f64> = (0..len)
        .map(|i| {
            let v = sample(&mut r, 1, 0.0, 1.0, 2)[0];
            if i >= len - s { v + 8.0 } else { v }
        })
        .collect();
    compare_alert(
        "a stream whose last full window alone drifts",
        &reference,
        &stream,
        w,
        s,
    )?;
    // No drift at all, and a stream shorter than one window.
    let calm = sample(&mut r, 300, 0.0, 1.0, 2);
    compare_alert("a stream without drift", &reference, &calm, 100, 50)?;
    compare_alert(
        "a stream shorter than one window",
        &reference,
        &calm[..30],
        40,
        10,
    )?;
    pass(format!(
        "first alerting window on 6 seeded streams (starts {report:?}), on a stream whose last \
         full window alone drifts, without drift (None) and shorter than a window (None)"
    ))
}

fn compare_alert(
    what: &str,
    reference: &[f64],
    stream: &[f64],
    w: usize,
    s: usize,
) -> Result<Option<usize>, Failed> {
    let got = first_alert(reference, stream, w, s);
    let expected = my_first_alert(reference, stream, w, s, true);
    if got == expected {
        return Ok(got);
    }
    if got == my_first_alert(reference, stream, w, s, false) {
        return Err(fail(format!(
            "{what}: expected the window starting at {expected:?}, got {got:?}: the last full \
             window (start + w == len) was never tested, off by one"
        )))
        .hint("a window fits while start + w <= stream.len()");
    }
    if let Some(start) = expected
        && (got == Some(start + w) || got == Some(start + w - 1))
    {
        return Err(fail(format!(
            "{what}: expected the window starting at {start}, got {got:?}: the END of the window, \
             off by one window length"
        )))
        .hint("return the window's start index in the stream");
    }
    if let Some(start) = expected
        && (got == Some(start + 1)
            || got == Some(start + s)
            || Some(start) == got.and_then(|g| g.checked_add(s)))
    {
        return Err(fail(format!(
            "{what}: expected the window starting at {start}, got {got:?}: windows off by one"
        )))
        .hint("windows start at 0, s, 2s, ...; return the start of the first alerting one");
    }
    Err(fail(format!(
        "{what}: first alerting window expected at {expected:?}, got {got:?}"
    )))
    .hint("alert when ks_statistic(reference, window) > ks_critical(reference.len(), w)")
}

fn check_co2_alert() -> Graded {
    let table = Table::dataset("co2_mauna_loa_weekly.csv").map_err(|e| {
        fail(format!(
            "the grader could not read co2_mauna_loa_weekly.csv: {e}"
        ))
    })?;
    let co2: Vec<f64> = table
        .numeric_column("co2_ppm")
        .map_err(|e| fail(format!("co2_mauna_loa_weekly.csv: {e}")))?
        .into_iter()
        .flatten()
        .collect();
    let weeks: Vec<String> = {
        let dates = table
            .text_column("week_start")
            .map_err(|e| fail(format!("co2_mauna_loa_weekly.csv: {e}")))?;
        let values = table
            .numeric_column("co2_ppm")
            .map_err(|e| fail(format!("co2_mauna_loa_weekly.csv: {e}")))?;
        dates
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_some())
            .map(|(d, _)| d.unwrap_or("?").to_string())
            .collect()
    };
    let (reference, stream) = co2.split_at(104);
    let (w, s) = (52, 4);
    let critical = my_critical(reference.len(), w);
    let mut d_series = Vec::new();
    let mut psi_series = Vec::new();
    let mut start = 0;
    while start + w <= stream.len() && start <= 160 {
        d_series.push([start as f64, my_ks(reference, &stream[start..start + w])]);
        psi_series.push([
            start as f64,
            my_psi(reference, &stream[start..start + w]).min(1.0),
        ]);
        start += s;
    }
    show(Figure::Lines {
        title: "KS statistic of each 52-week window against 1958-60 (target: critical value)"
            .into(),
        x_label: "window start (weeks after the reference)".into(),
        y_label: "D, and PSI capped at 1".into(),
        series: vec![
            Series {
                name: "KS D".into(),
                points: d_series,
            },
            Series {
                name: "PSI".into(),
                points: psi_series,
            },
        ],
        target: Some(critical),
    });
    let got = compare_alert(
        "first_alert on CO2 (104 reference weeks, w = 52, s = 4)",
        reference,
        stream,
        w,
        s,
    )?;
    let start = got.unwrap_or(0);
    let first_psi = my_psi(reference, &stream[..w]);
    pass(format!(
        "CO2 rises about 0.8 ppm a year under a seasonal swing of about 6 ppm: KS first rejects \
         (D > {}) for the window starting {} weeks after the reference (week of {}), while PSI \
         on the very first window is already {}: with 52 values PSI's small bins are noisy (without any drift it averages about \
         0.3 at these sizes)",
        fmt(critical),
        start,
        weeks.get(104 + start).map_or("?", String::as_str),
        fmt(first_psi)
    ))
}
