//! mistake: one raster pass copies a scanned neighbour's label and never merges labels that meet
//! fails: components_shapes, components_real
//! message: "a component was split"

// vision/otsu_components: Otsu's threshold, then connected components with 4- or 8-connectivity.
// `learnml show vision/otsu_components` shows the full statement; `learnml check vision/otsu_components` grades this file.

use ndarray::Array2;

/// Which neighbours join two foreground pixels into one component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connectivity {
    /// Up, down, left, right.
    Four,
    /// The 4 above plus the 4 diagonal neighbours.
    Eight,
}

/// Otsu's threshold, by OpenCV's formula on cumulative sums:
/// sigma_b(t) = (mu_T w0 - mu(t))^2 / (w0 w1), the first maximum kept.
pub fn otsu_threshold(img: &Array2<u8>) -> u8 {
    let mut h = [0usize; 256];
    img.iter().for_each(|&v| h[usize::from(v)] += 1);
    let present: Vec<usize> = (0..256).filter(|&v| h[v] > 0).collect();
    if present.len() == 1 {
        return present[0] as u8;
    }
    let n = img.len() as f64;
    let mu_t: f64 = (0..256).map(|v| v as f64 * h[v] as f64).sum::<f64>() / n;
    let (mut w0, mut mu) = (0.0, 0.0);
    let (mut best, mut best_t) = (0.0, 0u8);
    for (t, &count) in h.iter().enumerate() {
        w0 += count as f64 / n;
        mu += t as f64 * count as f64 / n;
        let w1 = 1.0 - w0;
        if w0 * w1 <= 1e-12 {
            continue;
        }
        let s = (mu_t * w0 - mu).powi(2) / (w0 * w1);
        if s > best {
            best = s;
            best_t = t as u8;
        }
    }
    best_t
}

/// The foreground mask: true where the pixel is above `t` (pixels <= t are background).
pub fn foreground(img: &Array2<u8>, t: u8) -> Array2<bool> {
    img.mapv(|v| v > t)
}

/// Connected components in one raster scan: a pixel takes the label of a foreground
/// neighbour already scanned (left, above, and the upper diagonals with 8-connectivity), or a
/// new label.
pub fn label_components(mask: &Array2<bool>, connectivity: Connectivity) -> (Array2<usize>, usize) {
    let (h, w) = mask.dim();
    let mut labels = Array2::zeros((h, w));
    let mut n = 0;
    for i in 0..h {
        for j in 0..w {
            if !mask[[i, j]] {
                continue;
            }
            let mut previous = vec![(i as isize, j as isize - 1), (i as isize - 1, j as isize)];
            if connectivity == Connectivity::Eight {
                previous.push((i as isize - 1, j as isize - 1));
                previous.push((i as isize - 1, j as isize + 1));
            }
            let seen = previous
                .into_iter()
                .filter(|&(a, b)| a >= 0 && b >= 0 && (b as usize) < w)
                .map(|(a, b)| labels[[a as usize, b as usize]])
                .find(|&k| k > 0);
            labels[[i, j]] = match seen {
                Some(k) => k,
                None => {
                    n += 1;
                    n
                }
            };
        }
    }
    (labels, n)
}

/// Pixel count of each label 0..=n.
pub fn component_sizes(labels: &Array2<usize>, n: usize) -> Vec<usize> {
    labels.iter().fold(vec![0; n + 1], |mut s, &k| {
        s[k] += 1;
        s
    })
}
