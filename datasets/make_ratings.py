#!/usr/bin/env python3
"""Write ratings_synthetic.csv: seeded synthetic movie-style ratings for the recommenders module.

No openly licensed ratings set could be redistributed here (MovieLens forbids it), so this file is
generated. Model (all draws from one random.Random(SEED), in the order below):
  items: popularity weight w_i = 1 / (rank_i + 10) with a random rank order; quality
         b_i ~ N(0, 0.45) + 0.25 * z_i (z_i = standardized log weight: popular items are a
         little better liked); factors q_i ~ N(0, 0.5)^K.
  users: bias b_u ~ N(0, 0.45); factors p_u ~ N(0, 0.5)^K; activity
         n_u = clamp(round(exp(N(3.2, 0.7))), 5, 200) items drawn without replacement with
         probability proportional to w_i; a first day uniform in [0, 700) and one rating every
         Exp(mean 3 days) after it.
  rating = round(3.5 + b_u + b_i + p_u . q_i + N(0, 0.6)), clipped to 1..5.
Usage: python3 make_ratings.py [OUT.csv]   (standard library only; output is byte-identical
on any CPython 3)
"""
import math
import random
import sys

SEED = 20261130
USERS, ITEMS, K = 500, 300, 4


def main():
    rng = random.Random(SEED)
    ranks = list(range(ITEMS))
    rng.shuffle(ranks)
    weight = [1.0 / (r + 10) for r in ranks]
    logs = [math.log(w) for w in weight]
    mean = sum(logs) / ITEMS
    sd = math.sqrt(sum((v - mean) ** 2 for v in logs) / ITEMS)
    item_bias = [rng.gauss(0, 0.45) + 0.25 * (v - mean) / sd for v in logs]
    item_factors = [[rng.gauss(0, 0.5) for _ in range(K)] for _ in range(ITEMS)]
    rows = []
    for user in range(USERS):
        user_bias = rng.gauss(0, 0.45)
        factors = [rng.gauss(0, 0.5) for _ in range(K)]
        count = min(200, max(5, round(math.exp(rng.gauss(3.2, 0.7)))))
        chosen = []
        available = list(range(ITEMS))
        for _ in range(count):
            total = sum(weight[i] for i in available)
            pick = rng.random() * total
            at = 0
            while at < len(available) - 1 and pick >= weight[available[at]]:
                pick -= weight[available[at]]
                at += 1
            chosen.append(available.pop(at))
        seconds = int(rng.random() * 700 * 86400)
        for item in chosen:
            seconds += int(rng.expovariate(1.0 / (3 * 86400)))
            dot = sum(a * b for a, b in zip(factors, item_factors[item]))
            value = 3.5 + user_bias + item_bias[item] + dot + rng.gauss(0, 0.6)
            rows.append((user, item, min(5, max(1, round(value))), seconds))
    out = sys.argv[1] if len(sys.argv) > 1 else "ratings_synthetic.csv"
    with open(out, "w", newline="\n") as f:
        f.write("user_id,item_id,rating,timestamp\n")
        for user, item, rating, seconds in rows:
            f.write(f"{user},{item},{rating},{seconds}\n")


if __name__ == "__main__":
    main()
