//! mistake: Welford with m2 += δ² (old mean twice) instead of m2 += δ · (x - new mean)
//! fails: welford
//! message: "deviation from the old mean twice"

// production/online_learning: Welford's running statistics, merging them, SGD on a stream.
// `learnml show production/online_learning` shows the full statement; `learnml check production/online_learning` grades this file.

/// Running count, mean and sum of squared deviations from the mean (Welford's m2) of a stream
/// of values. The fields are yours to choose; the checks use only the methods.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Running {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Running {
    /// An empty summary (count 0, mean 0, variance 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// How many values were pushed (or merged in).
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Adds one value with Welford's update: δ = x - mean, mean += δ / n, m2 += δ (x - mean).
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * delta;
    }

    /// The mean of the values (0 when empty).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The population variance m2 / n (ddof = 0; 0 when empty).
    pub fn variance(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.m2 / self.n as f64
        }
    }

    /// The sample variance m2 / (n - 1) (ddof = 1; called only when n ≥ 2).
    pub fn sample_variance(&self) -> f64 {
        self.m2 / (self.n - 1) as f64
    }

    /// The summary of both streams together (Chan et al.): n = n_a + n_b, δ = mean_b - mean_a,
    /// mean = mean_a + δ n_b / n, m2 = m2_a + m2_b + δ² n_a n_b / n. Either may be empty.
    pub fn merge(&self, other: &Running) -> Running {
        let n = self.n + other.n;
        if n == 0 {
            return Running::new();
        }
        let (na, nb, nn) = (self.n as f64, other.n as f64, n as f64);
        let delta = other.mean - self.mean;
        Running {
            n,
            mean: self.mean + delta * nb / nn,
            m2: self.m2 + other.m2 + delta * delta * na * nb / nn,
        }
    }
}

/// Online standardization: one [`Running`] per feature, of the rows seen so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaler {
    stats: Vec<Running>,
}

impl Scaler {
    /// A scaler of `d` features that has seen no row.
    pub fn new(d: usize) -> Self {
        Scaler {
            stats: vec![Running::new(); d],
        }
    }

    /// Standardizes `x` with the statistics of the rows seen so far (not `x` itself):
    /// z_j = (x_j - mean_j) / std_j with the population standard deviation (ddof = 0), and
    /// z_j = 0 when feature j has fewer than 2 values or a standard deviation of 0.
    pub fn transform(&self, x: &[f64]) -> Vec<f64> {
        self.stats
            .iter()
            .zip(x)
            .map(|(s, &v)| {
                let std = s.variance().sqrt();
                if s.count() < 2 || std == 0.0 {
                    0.0
                } else {
                    (v - s.mean()) / std
                }
            })
            .collect()
    }

    /// Adds the row `x` to the statistics.
    pub fn update(&mut self, x: &[f64]) {
        for (s, &v) in self.stats.iter_mut().zip(x) {
            s.push(v);
        }
    }
}

/// Logistic regression p(y = 1 | z) = σ(weights · z + bias), trained one example at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Logistic {
    pub weights: Vec<f64>,
    pub bias: f64,
}

impl Logistic {
    /// All weights and the bias at 0 (every first prediction is 0.5).
    pub fn new(d: usize) -> Self {
        Logistic {
            weights: vec![0.0; d],
            bias: 0.0,
        }
    }

    /// σ(weights · z + bias), in [0, 1].
    pub fn predict_proba(&self, z: &[f64]) -> f64 {
        let s: f64 = self.bias + self.weights.iter().zip(z).map(|(w, v)| w * v).sum::<f64>();
        1.0 / (1.0 + (-s).exp())
    }

    /// One step of SGD on the log loss of (z, y): with p = predict_proba(z), the gradient is
    /// (p - y) z for the weights and p - y for the bias; step against it, times `lr`.
    pub fn sgd_step(&mut self, z: &[f64], y: bool, lr: f64) {
        let error = self.predict_proba(z) - f64::from(u8::from(y));
        for (w, v) in self.weights.iter_mut().zip(z) {
            *w -= lr * error * v;
        }
        self.bias -= lr * error;
    }
}

/// Prequential (test-then-train) evaluation over the stream `rows` (each of d features) in
/// order: for each row, standardize it with the statistics of the rows before it, record the
/// predicted probability, then take one SGD step on that standardized row with its label,
/// then add the raw row to the scaler. Returns the recorded probabilities, one per row.
pub fn prequential(rows: &[Vec<f64>], labels: &[bool], lr: f64) -> Vec<f64> {
    let d = rows.first().map_or(0, |r| r.len());
    let mut scaler = Scaler::new(d);
    let mut model = Logistic::new(d);
    let mut out = Vec::with_capacity(rows.len());
    for (x, &y) in rows.iter().zip(labels) {
        let z = scaler.transform(x);
        out.push(model.predict_proba(&z));
        model.sgd_step(&z, y, lr);
        scaler.update(x);
    }
    out
}
