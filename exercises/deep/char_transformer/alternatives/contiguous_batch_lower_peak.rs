//! alternative: each batch is 4 consecutive windows from one random start, a peak of 5e-3, a floor of 5e-4, a fixed warm-up of 50 steps, the probabilities by log-sum-exp

// deep/char_transformer: train a one-block transformer as a character-level language model.
// `learnml show deep/char_transformer` shows the full statement; `learnml check deep/char_transformer` grades this file.

use learnml_kit::split::rng;
use ndarray::{Array2, Axis, s};
use ndarray_rand::rand_distr::{Distribution, Normal};

/// The vocabulary: lowercase letters, space, six punctuation marks, and `#` for every other
/// character (digits, quotes, dashes, colons...). Uppercase is lowercased; whitespace is a space.
pub const VOCAB: &str = "abcdefghijklmnopqrstuvwxyz .,;!?'-#";
/// Vocabulary size.
pub const V: usize = 35;
/// Context length: the model reads at most CTX characters.
pub const CTX: usize = 32;
/// Width of the residual stream (d_model).
pub const D: usize = 32;
/// Attention heads (d_k = D / HEADS = 8).
pub const HEADS: usize = 4;
/// Width of the MLP's hidden layer.
pub const HIDDEN: usize = 128;

/// Given: the characters of `text` as token ids 0..V (see `VOCAB`).
pub fn encode(text: &str) -> Vec<usize> {
    text.chars()
        .map(|c| {
            let c = if c.is_whitespace() {
                ' '
            } else {
                c.to_ascii_lowercase()
            };
            VOCAB.find(c).unwrap_or(V - 1)
        })
        .collect()
}

/// The parameters of a one-block pre-layer-norm transformer (row convention; 1 x n rows for
/// gains and biases). Gradients use the same struct.
#[derive(Debug, Clone)]
pub struct Model {
    /// Token embeddings, V x D.
    pub tok: Array2<f64>,
    /// Learned position embeddings, CTX x D.
    pub pos: Array2<f64>,
    pub ln1_g: Array2<f64>,
    pub ln1_b: Array2<f64>,
    /// Q, K and V projections side by side, D x 3D (no bias).
    pub w_qkv: Array2<f64>,
    /// Output projection of the attention, D x D (no bias).
    pub w_o: Array2<f64>,
    pub ln2_g: Array2<f64>,
    pub ln2_b: Array2<f64>,
    pub w1: Array2<f64>,
    pub b1: Array2<f64>,
    pub w2: Array2<f64>,
    pub b2: Array2<f64>,
    /// The final layer norm, before the unembedding.
    pub lnf_g: Array2<f64>,
    pub lnf_b: Array2<f64>,
    /// Unembedding to logits, D x V, and its bias.
    pub w_out: Array2<f64>,
    pub b_out: Array2<f64>,
}

impl Model {
    /// Given: a seeded initialization (embeddings N(0, 0.3²) and N(0, 0.1²), projections
    /// N(0, 1/fan_in), a small unembedding so the first predictions are nearly uniform).
    pub fn new(seed: u64) -> Model {
        let mut r = rng(seed);
        let mut normal = |rows: usize, cols: usize, std: f64| {
            let n = Normal::new(0.0, std).expect("std > 0");
            Array2::from_shape_fn((rows, cols), |_| n.sample(&mut r))
        };
        let fan = |n: usize| 1.0 / (n as f64).sqrt();
        Model {
            tok: normal(V, D, 0.3),
            pos: normal(CTX, D, 0.1),
            ln1_g: Array2::ones((1, D)),
            ln1_b: Array2::zeros((1, D)),
            w_qkv: normal(D, 3 * D, fan(D)),
            w_o: normal(D, D, fan(D)),
            ln2_g: Array2::ones((1, D)),
            ln2_b: Array2::zeros((1, D)),
            w1: normal(D, HIDDEN, fan(D)),
            b1: Array2::zeros((1, HIDDEN)),
            w2: normal(HIDDEN, D, fan(HIDDEN)),
            b2: Array2::zeros((1, D)),
            lnf_g: Array2::ones((1, D)),
            lnf_b: Array2::zeros((1, D)),
            w_out: normal(D, V, 0.02),
            b_out: Array2::zeros((1, V)),
        }
    }

    /// Every tensor, in a fixed order (for an optimizer).
    pub fn tensors_mut(&mut self) -> [&mut Array2<f64>; 16] {
        [
            &mut self.tok,
            &mut self.pos,
            &mut self.ln1_g,
            &mut self.ln1_b,
            &mut self.w_qkv,
            &mut self.w_o,
            &mut self.ln2_g,
            &mut self.ln2_b,
            &mut self.w1,
            &mut self.b1,
            &mut self.w2,
            &mut self.b2,
            &mut self.lnf_g,
            &mut self.lnf_b,
            &mut self.w_out,
            &mut self.b_out,
        ]
    }

    /// A model of zeros with the same shapes (gradients, optimizer moments).
    pub fn zeros_like(&self) -> Model {
        let mut z = self.clone();
        for t in z.tensors_mut() {
            t.fill(0.0);
        }
        z
    }
}

/// Given: layer norm of each row (population variance, eps 1e-5): y = g ⊙ x̂ + b. Returns y,
/// x̂ and 1/σ of each row (N x 1), what the backward pass needs.
pub fn layer_norm(
    x: &Array2<f64>,
    g: &Array2<f64>,
    b: &Array2<f64>,
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let mean = x.mean_axis(Axis(1)).expect("D > 0").insert_axis(Axis(1));
    let centered = x - &mean;
    let var = (&centered * &centered)
        .mean_axis(Axis(1))
        .expect("D > 0")
        .insert_axis(Axis(1));
    let inv_std = var.mapv(|v| 1.0 / (v + 1e-5).sqrt());
    let xhat = centered * &inv_std;
    (&xhat * g + b, xhat, inv_std)
}

/// Given: the backward pass of `layer_norm`: (dx, dg, db).
pub fn layer_norm_backward(
    dy: &Array2<f64>,
    xhat: &Array2<f64>,
    inv_std: &Array2<f64>,
    g: &Array2<f64>,
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let dg = (dy * xhat).sum_axis(Axis(0)).insert_axis(Axis(0));
    let db = dy.sum_axis(Axis(0)).insert_axis(Axis(0));
    let dxhat = dy * g;
    let m1 = dxhat
        .mean_axis(Axis(1))
        .expect("D > 0")
        .insert_axis(Axis(1));
    let m2 = (&dxhat * xhat)
        .mean_axis(Axis(1))
        .expect("D > 0")
        .insert_axis(Axis(1));
    let dx = (dxhat - &m1 - &(xhat * &m2)) * inv_std;
    (dx, dg, db)
}

/// Given (deep/logit_losses): the softmax of each row, stably; -∞ gets probability 0.
pub fn softmax_rows(scores: &Array2<f64>) -> Array2<f64> {
    let mut out = scores.clone();
    for mut row in out.axis_iter_mut(Axis(0)) {
        let max = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row /= sum;
    }
    out
}

/// Given (deep/attention): multi-head attention over `b` sequences of `t` positions. `qkv` is
/// (b·t) x 3D (Q, K, V side by side; head j takes columns j·d_k..(j+1)·d_k of each). Returns
/// the merged output ((b·t) x D) and the attention weights of every (sequence, head).
/// `causal`: position i attends to j ≤ i only (-∞ before the softmax).
pub fn attention(
    qkv: &Array2<f64>,
    b: usize,
    t: usize,
    causal: bool,
) -> (Array2<f64>, Vec<Array2<f64>>) {
    let d_k = D / HEADS;
    let mut out = Array2::zeros((b * t, D));
    let mut weights = Vec::with_capacity(b * HEADS);
    for seq in 0..b {
        let rows = seq * t..(seq + 1) * t;
        for h in 0..HEADS {
            let q = qkv.slice(s![rows.clone(), h * d_k..(h + 1) * d_k]);
            let k = qkv.slice(s![rows.clone(), D + h * d_k..D + (h + 1) * d_k]);
            let v = qkv.slice(s![rows.clone(), 2 * D + h * d_k..2 * D + (h + 1) * d_k]);
            let mut scores = q.dot(&k.t()) / (d_k as f64).sqrt();
            if causal {
                for ((i, j), x) in scores.indexed_iter_mut() {
                    if j > i {
                        *x = f64::NEG_INFINITY;
                    }
                }
            }
            let a = softmax_rows(&scores);
            out.slice_mut(s![rows.clone(), h * d_k..(h + 1) * d_k])
                .assign(&a.dot(&v));
            weights.push(a);
        }
    }
    (out, weights)
}

/// Given (deep/attention): the backward pass of `attention`: d_qkv ((b·t) x 3D) from d_out.
pub fn attention_backward(
    qkv: &Array2<f64>,
    weights: &[Array2<f64>],
    d_out: &Array2<f64>,
    b: usize,
    t: usize,
) -> Array2<f64> {
    let d_k = D / HEADS;
    let scale = 1.0 / (d_k as f64).sqrt();
    let mut d_qkv = Array2::zeros(qkv.raw_dim());
    for seq in 0..b {
        let rows = seq * t..(seq + 1) * t;
        for h in 0..HEADS {
            let a = &weights[seq * HEADS + h];
            let cols = |part: usize| part * D + h * d_k..part * D + (h + 1) * d_k;
            let q = qkv.slice(s![rows.clone(), cols(0)]);
            let k = qkv.slice(s![rows.clone(), cols(1)]);
            let v = qkv.slice(s![rows.clone(), cols(2)]);
            let d_o = d_out.slice(s![rows.clone(), h * d_k..(h + 1) * d_k]);
            let da = d_o.dot(&v.t());
            let row_dot = (&da * a).sum_axis(Axis(1)).insert_axis(Axis(1));
            let ds = a * &(&da - &row_dot) * scale;
            d_qkv
                .slice_mut(s![rows.clone(), cols(0)])
                .assign(&ds.dot(&k));
            d_qkv
                .slice_mut(s![rows.clone(), cols(1)])
                .assign(&ds.t().dot(&q));
            d_qkv
                .slice_mut(s![rows.clone(), cols(2)])
                .assign(&a.t().dot(&d_o));
        }
    }
    d_qkv
}

/// What `forward` keeps for `backward`.
pub struct Cache {
    tokens: Vec<usize>,
    b: usize,
    t: usize,
    ln1: (Array2<f64>, Array2<f64>, Array2<f64>),
    qkv: Array2<f64>,
    weights: Vec<Array2<f64>>,
    att: Array2<f64>,
    ln2: (Array2<f64>, Array2<f64>, Array2<f64>),
    z1: Array2<f64>,
    hidden: Array2<f64>,
    lnf: (Array2<f64>, Array2<f64>, Array2<f64>),
}

/// Given: the forward pass on a batch of `b` token sequences of the same length t ≤ CTX.
/// Pre-layer-norm block: x = tok[c] + pos[t]; x = x + Attn(LN1(x)) W_o;
/// x = x + relu(LN2(x) W1 + b1) W2 + b2; logits = LNf(x) W_out + b_out, (b·t) x V, row
/// seq·t + i for position i of sequence seq. `causal` must be true for a language model.
pub fn forward(model: &Model, batch: &[Vec<usize>], causal: bool) -> (Array2<f64>, Cache) {
    let (b, t) = (batch.len(), batch[0].len());
    let tokens: Vec<usize> = batch.concat();
    let mut x = Array2::zeros((b * t, D));
    for (row, &c) in tokens.iter().enumerate() {
        let embedded = &model.tok.row(c) + &model.pos.row(row % t);
        x.row_mut(row).assign(&embedded);
    }
    let ln1 = layer_norm(&x, &model.ln1_g, &model.ln1_b);
    let qkv = ln1.0.dot(&model.w_qkv);
    let (att, weights) = attention(&qkv, b, t, causal);
    let x = x + att.dot(&model.w_o);
    let ln2 = layer_norm(&x, &model.ln2_g, &model.ln2_b);
    let z1 = ln2.0.dot(&model.w1) + &model.b1;
    let hidden = z1.mapv(|v| v.max(0.0));
    let x = x + hidden.dot(&model.w2) + &model.b2;
    let lnf = layer_norm(&x, &model.lnf_g, &model.lnf_b);
    let logits = lnf.0.dot(&model.w_out) + &model.b_out;
    let cache = Cache {
        tokens,
        b,
        t,
        ln1,
        qkv,
        weights,
        att,
        ln2,
        z1,
        hidden,
        lnf,
    };
    (logits, cache)
}

/// Given: the gradients of the loss with respect to every parameter, from d_logits (the
/// gradient of the loss with respect to the logits of `forward`).
pub fn backward(model: &Model, cache: &Cache, d_logits: &Array2<f64>) -> Model {
    let mut g = model.zeros_like();
    let c = cache;
    g.w_out = c.lnf.0.t().dot(d_logits);
    g.b_out = d_logits.sum_axis(Axis(0)).insert_axis(Axis(0));
    let (mut dx, dg, db) = layer_norm_backward(
        &d_logits.dot(&model.w_out.t()),
        &c.lnf.1,
        &c.lnf.2,
        &model.lnf_g,
    );
    (g.lnf_g, g.lnf_b) = (dg, db);
    // MLP branch.
    g.w2 = c.hidden.t().dot(&dx);
    g.b2 = dx.sum_axis(Axis(0)).insert_axis(Axis(0));
    let mut dz1 = dx.dot(&model.w2.t());
    dz1.zip_mut_with(&c.z1, |d, &z| {
        if z <= 0.0 {
            *d = 0.0
        }
    });
    g.w1 = c.ln2.0.t().dot(&dz1);
    g.b1 = dz1.sum_axis(Axis(0)).insert_axis(Axis(0));
    let (d_ln2, dg, db) =
        layer_norm_backward(&dz1.dot(&model.w1.t()), &c.ln2.1, &c.ln2.2, &model.ln2_g);
    (g.ln2_g, g.ln2_b) = (dg, db);
    dx += &d_ln2;
    // Attention branch.
    g.w_o = c.att.t().dot(&dx);
    let d_qkv = attention_backward(&c.qkv, &c.weights, &dx.dot(&model.w_o.t()), c.b, c.t);
    g.w_qkv = c.ln1.0.t().dot(&d_qkv);
    let (d_ln1, dg, db) = layer_norm_backward(
        &d_qkv.dot(&model.w_qkv.t()),
        &c.ln1.1,
        &c.ln1.2,
        &model.ln1_g,
    );
    (g.ln1_g, g.ln1_b) = (dg, db);
    dx += &d_ln1;
    // Embeddings.
    for (row, &tok) in c.tokens.iter().enumerate() {
        let d = dx.row(row);
        let mut tr = g.tok.row_mut(tok);
        tr += &d;
        let mut pr = g.pos.row_mut(row % c.t);
        pr += &d;
    }
    g
}

/// Given (deep/logit_losses): mean softmax cross-entropy of `logits` (N x V) against the
/// `targets` (N ids), natural log, and its gradient (softmax - onehot) / N.
pub fn cross_entropy(logits: &Array2<f64>, targets: &[usize]) -> (f64, Array2<f64>) {
    let n = targets.len() as f64;
    let mut d = softmax_rows(logits);
    let mut loss = 0.0;
    for (row, &y) in targets.iter().enumerate() {
        loss -= d[[row, y]].ln();
        d[[row, y]] -= 1.0;
    }
    (loss / n, d / n)
}

/// Given (deep/optimizers): Adam as `torch.optim.Adam` computes it (betas 0.9 and 0.99,
/// eps 1e-8, bias correction, no weight decay); the learning rate is passed at each step.
pub struct Adam {
    m: Model,
    v: Model,
    t: i32,
}

impl Adam {
    pub fn new(model: &Model) -> Adam {
        Adam {
            m: model.zeros_like(),
            v: model.zeros_like(),
            t: 0,
        }
    }

    /// One step: θ ← θ - lr · m̂ / (√v̂ + eps).
    pub fn step(&mut self, model: &mut Model, grads: &Model, lr: f64) {
        let (b1, b2, eps) = (0.9, 0.99, 1e-8);
        self.t += 1;
        let (c1, c2) = (1.0 - f64::powi(b1, self.t), 1.0 - f64::powi(b2, self.t));
        let mut grads = grads.clone();
        let params = model.tensors_mut();
        let ms = self.m.tensors_mut();
        let vs = self.v.tensors_mut();
        for (((p, g), m), v) in params.into_iter().zip(grads.tensors_mut()).zip(ms).zip(vs) {
            m.zip_mut_with(g, |m, &g| *m = b1 * *m + (1.0 - b1) * g);
            v.zip_mut_with(g, |v, &g| *v = b2 * *v + (1.0 - b2) * g * g);
            ndarray::Zip::from(p)
                .and(&*m)
                .and(&*v)
                .for_each(|p, &m, &v| {
                    *p -= lr * (m / c1) / ((v / c2).sqrt() + eps);
                });
        }
    }
}

/// The learning rate at `step` (0-based) of `total` steps: linear warm-up over the first
/// `warmup` steps, peak · (step + 1) / warmup, then cosine decay from `peak` at step `warmup`
/// to `floor` at the last step total - 1:
/// floor + (peak - floor) · (1 + cos(π · (step - warmup) / (total - 1 - warmup))) / 2.
pub fn lr_at(step: usize, total: usize, warmup: usize, peak: f64, floor: f64) -> f64 {
    if step < warmup {
        (step as f64 + 1.0) / (warmup as f64) * peak
    } else {
        let p = (step - warmup) as f64 / (total - 1 - warmup) as f64;
        let w = 0.5 + 0.5 * (std::f64::consts::PI * p).cos();
        w * peak + (1.0 - w) * floor
    }
}

/// Train a fresh `Model::new(seed)` for `steps` Adam steps on random windows of `text`, with
/// the learning rate of `lr_at`. Returns the model and the training loss of every step.
pub fn train(text: &str, steps: usize, seed: u64) -> (Model, Vec<f64>) {
    use rand::Rng;
    let data = encode(text);
    let mut model = Model::new(seed);
    let mut adam = Adam::new(&model);
    let mut r = learnml_kit::split::rng(seed ^ 0x5eed);
    let batch = 4;
    let warmup = 50;
    let mut losses = Vec::with_capacity(steps);
    for step in 0..steps {
        // one random start, then `batch` consecutive windows from there
        let start = r.gen_range(0..data.len() - batch * CTX - 1);
        let mut inputs = Vec::new();
        let mut targets = Vec::new();
        for b in 0..batch {
            let s = start + b * CTX;
            inputs.push(data[s..s + CTX].to_vec());
            targets.extend_from_slice(&data[s + 1..s + CTX + 1]);
        }
        let (logits, cache) = forward(&model, &inputs, true);
        let (loss, d) = cross_entropy(&logits, &targets);
        let grads = backward(&model, &cache, &d);
        adam.step(&mut model, &grads, lr_at(step, steps, warmup, 5e-3, 5e-4));
        losses.push(loss);
    }
    (model, losses)
}

/// The model's predictions for `context` (1..=CTX token ids): row i is the probability
/// distribution (V entries summing to 1) of the character after context[i], given
/// context[0..=i] only.
pub fn next_char_probs(model: &Model, context: &[usize]) -> Array2<f64> {
    let (logits, _) = forward(model, &[context.to_vec()], true);
    let mut out = logits.clone();
    for (mut row, l) in out.rows_mut().into_iter().zip(logits.rows()) {
        let lse = {
            let m = l.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            m + l.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
        };
        row.assign(&l.mapv(|v| (v - lse).exp()));
    }
    out
}
