//! Drawing a check's figures: as text for the terminal (plain characters, so it reads in
//! any terminal and in a log) and as standalone SVG files.

use std::fmt::Write;

use learnml_protocol::{Figure, Series};

/// Columns of a chart: with the report's indent and the y labels it fits 80 columns.
const WIDTH: usize = 48;
const HEIGHT: usize = 16;
/// Marks for groups and series, told apart without colour.
const MARKS: [char; 10] = ['o', 'x', '+', '*', '#', '@', '%', '&', '=', '~'];

/// A number as a table shows it: whole numbers without decimals, others with three.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e12 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        (0.0, 1.0)
    } else if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

/// More bins than a terminal or a page can show are merged into this many.
const MAX_BINS: usize = 200;

/// Bin counts of `values` in `bins` equal-width bins over [min, max], with the edges. A
/// figure comes from a grader, but its sizes may follow the learner's output: they are
/// clamped rather than trusted.
fn histogram(values: &[f64], bins: usize) -> (Vec<usize>, f64, f64) {
    let bins = bins.clamp(1, MAX_BINS);
    let (lo, hi) = bounds(values.iter().copied());
    let mut counts = vec![0; bins];
    for v in values.iter().filter(|v| v.is_finite()) {
        let i = (((v - lo) / (hi - lo)) * bins as f64).floor() as usize;
        counts[i.min(bins - 1)] += 1;
    }
    (counts, lo, hi)
}

/// A character grid with points placed by their coordinates; later marks win a cell. A
/// `target` is a row of dashes under the points. Both axes have ticks (`+`) at round values.
fn grid(points: &[(f64, f64, char)], target: Option<f64>, x_label: &str, y_label: &str) -> String {
    let (x_lo, x_hi) = bounds(points.iter().map(|p| p.0));
    let (y_lo, y_hi) = bounds(points.iter().map(|p| p.1).chain(target));
    let row_of = |y: f64| {
        ((((y_hi - y) / (y_hi - y_lo)) * (HEIGHT - 1) as f64).round() as usize).min(HEIGHT - 1)
    };
    let column_of = |x: f64| {
        ((((x - x_lo) / (x_hi - x_lo)) * (WIDTH - 1) as f64).round() as usize).min(WIDTH - 1)
    };
    let mut cells = vec![vec![' '; WIDTH]; HEIGHT];
    if let Some(y) = target.filter(|y| y.is_finite()) {
        cells[row_of(y)] = vec!['-'; WIDTH];
    }
    for &(x, y, mark) in points {
        if x.is_finite() && y.is_finite() {
            cells[row_of(y)][column_of(x)] = mark;
        }
    }
    let (y_ticks, y_decimals) = ticks(y_lo, y_hi);
    let y_labels: Vec<(usize, String)> = y_ticks
        .iter()
        .map(|&v| (row_of(v), tick_label(v, y_decimals)))
        .collect();
    let margin = y_labels.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (i, row) in cells.iter().enumerate() {
        let label = y_labels.iter().find(|(at, _)| *at == i);
        let (label, tick) = label.map_or(("", '|'), |(_, label)| (label.as_str(), '+'));
        let _ = writeln!(
            out,
            "{label:>margin$} {tick}{}",
            row.iter().collect::<String>().trim_end()
        );
    }
    // Under the axis, each tick's label is centred on it; one that would touch the previous
    // label is left out.
    let mut axis = ['-'; WIDTH];
    let mut labels = vec![' '; WIDTH + 8];
    let mut free_from = 0;
    let (x_ticks, x_decimals) = ticks(x_lo, x_hi);
    for value in x_ticks {
        let column = column_of(value);
        axis[column] = '+';
        let label = tick_label(value, x_decimals);
        let start = (column + 1).saturating_sub(label.len() / 2);
        if start >= free_from && start + label.len() <= labels.len() {
            labels[start..start + label.len()].copy_from_slice(&label.chars().collect::<Vec<_>>());
            free_from = start + label.len() + 1;
        }
    }
    let _ = writeln!(out, "{:>margin$} +{}", "", axis.iter().collect::<String>());
    let _ = writeln!(
        out,
        "{:>margin$} {}",
        "",
        labels.iter().collect::<String>().trim_end()
    );
    let _ = writeln!(out, "{:>margin$}  x: {x_label}, y: {y_label}", "");
    out
}

/// The mark of group or series `i`.
fn mark(i: usize) -> char {
    MARKS[i % MARKS.len()]
}

/// A titled grid of marked points with its legend.
fn chart(
    title: &str,
    marked: &[(f64, f64, char)],
    target: Option<f64>,
    x_label: &str,
    y_label: &str,
    legend: &[String],
) -> String {
    let mut legend = legend.to_vec();
    if let Some(y) = target {
        legend.push(format!("--- target {}", number(y)));
    }
    format!(
        "{title}\n{}  {}\n",
        grid(marked, target, x_label, y_label),
        legend.join("   ")
    )
}

pub fn text(figure: &Figure) -> String {
    let mut out = String::new();
    match figure {
        Figure::Table {
            title,
            row_labels,
            column_labels,
            cells,
        } => {
            let _ = writeln!(out, "{title}");
            let label_width = row_labels.iter().map(String::len).max().unwrap_or(0);
            let cell_width = column_labels
                .iter()
                .map(String::len)
                .chain(cells.iter().flatten().map(|c| number(*c).len()))
                .max()
                .unwrap_or(1);
            let mut header = format!("{:label_width$}", "");
            for label in column_labels {
                let _ = write!(header, "  {label:>cell_width$}");
            }
            let _ = writeln!(out, "{}", header.trim_end());
            for (label, row) in row_labels.iter().zip(cells) {
                let mut line = format!("{label:>label_width$}");
                for cell in row {
                    let _ = write!(line, "  {:>cell_width$}", number(*cell));
                }
                let _ = writeln!(out, "{line}");
            }
        }
        Figure::Histogram {
            title,
            values,
            bins,
        } => {
            let _ = writeln!(out, "{title}");
            let (counts, lo, hi) = histogram(values, *bins);
            let most = counts.iter().copied().max().unwrap_or(0).max(1);
            let step = (hi - lo) / counts.len() as f64;
            let edges: Vec<String> = (0..counts.len())
                .map(|i| {
                    format!(
                        "{} to {}",
                        number(lo + step * i as f64),
                        number(lo + step * (i + 1) as f64)
                    )
                })
                .collect();
            let width = edges.iter().map(String::len).max().unwrap_or(0);
            for (edge, count) in edges.iter().zip(&counts) {
                let bar = "#".repeat((count * 40).div_ceil(most));
                let _ = writeln!(out, "{edge:>width$} | {bar} {count}");
            }
        }
        Figure::Scatter {
            title,
            x_label,
            y_label,
            points,
            groups,
        } => {
            let group = |i: usize| groups.get(i).copied().unwrap_or(0);
            let marked: Vec<(f64, f64, char)> = points
                .iter()
                .enumerate()
                .map(|(i, p)| (p[0], p[1], mark(group(i))))
                .collect();
            let mut seen: Vec<usize> = groups.clone();
            seen.sort_unstable();
            seen.dedup();
            let legend: Vec<String> = seen
                .iter()
                .map(|&g| format!("{} group {g}", mark(g)))
                .collect();
            out.push_str(&chart(title, &marked, None, x_label, y_label, &legend));
        }
        Figure::Lines {
            title,
            x_label,
            y_label,
            series,
            target,
        } => {
            let marked: Vec<(f64, f64, char)> = series
                .iter()
                .enumerate()
                .flat_map(|(i, s)| s.points.iter().map(move |p| (p[0], p[1], mark(i))))
                .collect();
            let legend: Vec<String> = series
                .iter()
                .enumerate()
                .map(|(i, Series { name, .. })| format!("{} {name}", mark(i)))
                .collect();
            out.push_str(&chart(title, &marked, *target, x_label, y_label, &legend));
        }
    }
    out
}

const SVG_W: f64 = 640.0;
const SVG_H: f64 = 400.0;
const PAD: f64 = 56.0;
const COLOURS: [&str; 10] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f",
];

fn svg(title: &str, body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SVG_W} {SVG_H}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{}</text>\n{body}</svg>\n",
        SVG_W / 2.0,
        crate::export::xml_escape(title)
    )
}

/// Round values from `lo` to `hi` for an axis's ticks: 3 to 7 of them, a step of 1, 2 or 5
/// times a power of ten; with the decimals their labels need.
fn ticks(lo: f64, hi: f64) -> (Vec<f64>, usize) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (vec![lo], 3);
    }
    let power = 10f64.powf((span / 4.0).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|step| span / step <= 6.0)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil() * step;
    let values = (0..)
        .map(|i| first + step * i as f64)
        .take_while(|v| *v <= hi + step * 1e-9)
        .collect();
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    (values, decimals)
}

/// A tick's label: `decimals` places, and never "-0".
fn tick_label(value: f64, decimals: usize) -> String {
    let label = format!("{value:.decimals$}");
    if label.trim_start_matches(['-', '0', '.']).is_empty() {
        label.trim_start_matches('-').to_string()
    } else {
        label
    }
}

/// Axes for a plot of x in [x_lo, x_hi], y in [y_lo, y_hi], with ticks; returns the SVG and
/// a mapping from data to picture coordinates.
fn axes(
    x: (f64, f64),
    y: (f64, f64),
    x_label: &str,
    y_label: &str,
) -> (String, impl Fn(f64, f64) -> (f64, f64)) {
    let (left, right, top, bottom) = (PAD, SVG_W - PAD / 2.0, PAD, SVG_H - PAD);
    let map = move |px: f64, py: f64| {
        (
            left + (px - x.0) / (x.1 - x.0) * (right - left),
            bottom - (py - y.0) / (y.1 - y.0) * (bottom - top),
        )
    };
    let mut body = format!(
        "<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" stroke=\"black\"/>\n\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{bottom}\" stroke=\"black\"/>\n\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n\
         <text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>\n",
        (left + right) / 2.0,
        SVG_H - 12.0,
        crate::export::xml_escape(x_label),
        (top + bottom) / 2.0,
        (top + bottom) / 2.0,
        crate::export::xml_escape(y_label),
    );
    let (x_ticks, x_decimals) = ticks(x.0, x.1);
    for value in x_ticks {
        let (px, _) = map(value, y.0);
        let _ = writeln!(
            body,
            "<line x1=\"{px:.1}\" y1=\"{bottom}\" x2=\"{px:.1}\" y2=\"{}\" stroke=\"black\"/>\
             <text x=\"{px:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            bottom + 5.0,
            bottom + 18.0,
            tick_label(value, x_decimals)
        );
    }
    let (y_ticks, y_decimals) = ticks(y.0, y.1);
    for value in y_ticks {
        let (_, py) = map(x.0, value);
        let _ = writeln!(
            body,
            "<line x1=\"{}\" y1=\"{py:.1}\" x2=\"{left}\" y2=\"{py:.1}\" stroke=\"black\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 5.0,
            left - 7.0,
            py + 4.0,
            tick_label(value, y_decimals)
        );
    }
    (body, map)
}

/// A cell's fill: white for 0, else a shade growing with `value / most` that stays visible
/// for the smallest counts; red for the errors of a confusion matrix, blue otherwise.
fn cell_fill(value: f64, most: f64, error: bool) -> String {
    if value <= 0.0 || most <= 0.0 {
        return "white".into();
    }
    let strength = 0.2 + 0.5 * (value / most).clamp(0.0, 1.0);
    let light = (255.0 * (1.0 - strength)).round() as u8;
    if error {
        format!("rgb(255,{light},{light})")
    } else {
        format!("rgb({light},{light},255)")
    }
}

pub fn to_svg(figure: &Figure) -> String {
    match figure {
        Figure::Table {
            title,
            row_labels,
            column_labels,
            cells,
        } => {
            let mut body = String::new();
            let columns = column_labels.len() + 1;
            let cell_w = (SVG_W - 2.0 * PAD) / columns as f64;
            // A confusion matrix (the same classes on both sides): its errors are shaded on
            // their own scale, so a few mistakes beside hundreds of right answers still show.
            let confusion = row_labels == column_labels;
            let is_error = |i: usize, j: usize| confusion && i != j;
            let most = |errors: bool| {
                cells
                    .iter()
                    .enumerate()
                    .flat_map(|(i, row)| row.iter().enumerate().map(move |(j, v)| (i, j, *v)))
                    .filter(|&(i, j, _)| is_error(i, j) == errors)
                    .map(|(_, _, v)| v)
                    .fold(0.0, f64::max)
            };
            let (most_right, most_wrong) = (most(false), most(true));
            for (j, label) in column_labels.iter().enumerate() {
                let _ = writeln!(
                    body,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    PAD + cell_w * (j as f64 + 1.5),
                    PAD + 10.0,
                    crate::export::xml_escape(label)
                );
            }
            for (i, (label, row)) in row_labels.iter().zip(cells).enumerate() {
                let y = PAD + 20.0 + 28.0 * i as f64;
                let _ = writeln!(
                    body,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                    PAD + cell_w - 6.0,
                    y + 18.0,
                    crate::export::xml_escape(label)
                );
                for (j, value) in row.iter().enumerate() {
                    let x = PAD + cell_w * (j as f64 + 1.0);
                    let fill = if is_error(i, j) {
                        cell_fill(*value, most_wrong, true)
                    } else {
                        cell_fill(*value, most_right, false)
                    };
                    let _ = writeln!(
                        body,
                        "<rect x=\"{x}\" y=\"{y}\" width=\"{cell_w}\" height=\"28\" fill=\"{fill}\" stroke=\"#ccc\"/>"
                    );
                    let _ = writeln!(
                        body,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                        x + cell_w / 2.0,
                        y + 18.0,
                        number(*value)
                    );
                }
            }
            svg(title, &body)
        }
        Figure::Histogram {
            title,
            values,
            bins,
        } => {
            let (counts, lo, hi) = histogram(values, *bins);
            let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
            let (mut body, map) = axes((lo, hi), (0.0, most), "value", "count");
            let step = (hi - lo) / counts.len() as f64;
            for (i, count) in counts.iter().enumerate() {
                let (x0, y0) = map(lo + step * i as f64, *count as f64);
                let (x1, y1) = map(lo + step * (i + 1) as f64, 0.0);
                let _ = writeln!(
                    body,
                    "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"white\"/>",
                    x1 - x0,
                    y1 - y0,
                    COLOURS[0]
                );
            }
            svg(title, &body)
        }
        Figure::Scatter {
            title,
            x_label,
            y_label,
            points,
            groups,
        } => {
            let (mut body, map) = axes(
                bounds(points.iter().map(|p| p[0])),
                bounds(points.iter().map(|p| p[1])),
                x_label,
                y_label,
            );
            for (i, p) in points.iter().enumerate() {
                let (x, y) = map(p[0], p[1]);
                let colour = COLOURS[groups.get(i).copied().unwrap_or(0) % COLOURS.len()];
                let _ = writeln!(
                    body,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{colour}\" fill-opacity=\"0.7\"/>"
                );
            }
            svg(title, &body)
        }
        Figure::Lines {
            title,
            x_label,
            y_label,
            series,
            target,
        } => {
            let all = || series.iter().flat_map(|s| s.points.iter());
            let x = bounds(all().map(|p| p[0]));
            let (mut body, map) = axes(
                x,
                bounds(all().map(|p| p[1]).chain(*target)),
                x_label,
                y_label,
            );
            if let Some(value) = target {
                let (x0, y) = map(x.0, *value);
                let (x1, _) = map(x.1, *value);
                let _ = writeln!(
                    body,
                    "<line x1=\"{x0:.1}\" y1=\"{y:.1}\" x2=\"{x1:.1}\" y2=\"{y:.1}\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\
                     <text x=\"{x1:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555\">target {}</text>",
                    y - 5.0,
                    number(*value)
                );
            }
            for (i, s) in series.iter().enumerate() {
                let colour = COLOURS[i % COLOURS.len()];
                let path: Vec<String> = s
                    .points
                    .iter()
                    .map(|p| map(p[0], p[1]))
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect();
                let _ = writeln!(
                    body,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    path.join(" ")
                );
                let _ = writeln!(
                    body,
                    "<text x=\"{}\" y=\"{}\" fill=\"{colour}\">{}</text>",
                    SVG_W - 180.0,
                    PAD + 16.0 * i as f64,
                    crate::export::xml_escape(&s.name)
                );
            }
            svg(title, &body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_draw_as_text() {
        let confusion = Figure::Table {
            title: "confusion matrix (rows: true, columns: predicted)".into(),
            row_labels: vec!["benign".into(), "malignant".into()],
            column_labels: vec!["benign".into(), "malignant".into()],
            cells: vec![vec![70.0, 2.0], vec![3.0, 39.0]],
        };
        let histogram = Figure::Histogram {
            title: "alcohol".into(),
            values: vec![1.0, 2.0, 2.5, 3.0, 3.5, 3.9, 4.0],
            bins: 3,
        };
        let curve = Figure::Lines {
            title: "learning curve".into(),
            x_label: "training examples".into(),
            y_label: "error".into(),
            series: vec![
                Series {
                    name: "training".into(),
                    points: vec![[10.0, 0.0], [50.0, 0.05], [100.0, 0.08]],
                },
                Series {
                    name: "validation".into(),
                    points: vec![[10.0, 0.4], [50.0, 0.2], [100.0, 0.12]],
                },
            ],
            target: Some(0.1),
        };
        let scatter = Figure::Scatter {
            title: "clusters".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            points: vec![[0.0, 0.0], [0.1, 0.2], [5.0, 5.0], [5.2, 4.9]],
            groups: vec![0, 0, 1, 1],
        };
        let drawn: Vec<String> = [confusion, histogram, curve, scatter]
            .iter()
            .map(text)
            .collect();
        insta::assert_snapshot!(drawn.join("\n"));
    }

    #[test]
    fn ticks_are_round_numbers_inside_the_range() {
        assert_eq!(
            ticks(0.0, 1.0),
            (vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0], 1)
        );
        assert_eq!(
            ticks(15.0, 300.0).0,
            [50.0, 100.0, 150.0, 200.0, 250.0, 300.0]
        );
        assert_eq!(ticks(-0.05, 0.12).1, 2);
        assert_eq!(tick_label(-0.0001, 2), "0.00");
        assert_eq!(tick_label(-0.5, 1), "-0.5");
    }

    #[test]
    fn a_confusion_matrix_shows_its_few_errors_in_red() {
        let figure = Figure::Table {
            title: "confusion".into(),
            row_labels: vec!["benign".into(), "malignant".into()],
            column_labels: vec!["benign".into(), "malignant".into()],
            cells: vec![vec![70.0, 2.0], vec![0.0, 39.0]],
        };
        let svg = to_svg(&figure);
        // The single kind of error is as red as an error gets; no error is white.
        assert!(
            svg.contains(&format!("fill=\"{}\"", cell_fill(2.0, 2.0, true))),
            "{svg}"
        );
        assert_eq!(cell_fill(2.0, 2.0, true), "rgb(255,77,77)");
        assert_eq!(cell_fill(0.0, 2.0, true), "white");
        // A small count on a large scale stays visible (at least 20 % colour).
        assert_eq!(cell_fill(1.0, 1000.0, false), "rgb(204,204,255)");
    }

    #[test]
    fn a_learning_curve_has_ticks_and_its_target() {
        let figure = Figure::Lines {
            title: "curve".into(),
            x_label: "rows".into(),
            y_label: "RMSE".into(),
            series: vec![Series {
                name: "validation".into(),
                points: vec![[15.0, 70.0], [300.0, 50.0]],
            }],
            target: Some(45.0),
        };
        let svg = to_svg(&figure);
        assert!(
            svg.contains("stroke-dasharray") && svg.contains(">target 45</text>"),
            "{svg}"
        );
        assert!(
            svg.contains(">300</text>") && svg.contains(">45</text>"),
            "{svg}"
        );
        let text = text(&figure);
        assert!(text.contains("--- target 45"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.contains("|---") || l.contains("+---")),
            "a dashed row for the target:\n{text}"
        );
    }

    #[test]
    fn svg_is_standalone_and_escaped() {
        let figure = Figure::Histogram {
            title: "a < b & c".into(),
            values: vec![1.0, 2.0],
            bins: 2,
        };
        let svg = to_svg(&figure);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("a &lt; b &amp; c"));
        assert_eq!(svg.matches("<rect").count(), 3);
    }

    #[test]
    fn absurd_bin_counts_are_clamped_not_allocated() {
        let figure = Figure::Histogram {
            title: "bins".into(),
            values: vec![1.0, 2.0, 3.0],
            bins: 1 << 60,
        };
        assert!(!text(&figure).is_empty());
        assert!(to_svg(&figure).matches("<rect").count() <= MAX_BINS + 1);
    }
}
