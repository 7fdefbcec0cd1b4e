#!/usr/bin/python3
# The expected values of test/evaluation/student-t.test.ts and test/selection/candidate-tests.test.ts,
# computed independently with SciPy (run once: /usr/bin/python3 test/evaluation/student-t-values.py;
# needs python3-scipy). The tests hold the numbers printed here and do not need SciPy.
import numpy as np
from scipy import stats

print("# studentTCdf(t, df)")
for t, df in [(0.0, 1), (1.0, 1), (-2.5, 3), (2.0, 4), (0.3, 14), (-4.2, 14), (10.0, 2), (-30.0, 29), (1.5, 0.5)]:
    print(f"[{t}, {df}, {stats.t.cdf(t, df)!r}],")

def tests(d, k, rope, metric):
    d = np.asarray(d, dtype=float)
    j = len(d)
    mean = d.mean()
    var = d.var(ddof=1)
    scale = np.sqrt((1 / j + 1 / (k - 1)) * var)
    t = mean / scale
    p = 2 * stats.t.sf(abs(t), j - 1)
    post = stats.t(j - 1, loc=mean, scale=scale)
    lower = post.cdf(-rope)
    equiv = post.cdf(rope) - post.cdf(-rope)
    higher = post.sf(rope)
    better, worse = (higher, lower) if metric == "accuracy" else (lower, higher)
    return dict(mean=mean, t=t, p=p, better=better, equiv=equiv, worse=worse)

print("# compareScores")
cases = [
    ("accuracy", 5, 0.002, [0.01, -0.004, 0.006, 0.002, 0.012, -0.001, 0.003, 0.008, 0.0, 0.005, 0.007, -0.002, 0.004, 0.009, 0.001]),
    ("logLoss", 5, 0.002, [0.03, 0.05, 0.02, 0.041, 0.036]),
    ("accuracy", 2, 0.002, [-0.01, -0.02]),
    ("logLoss", 2, 0.01, [-0.004, 0.012]),
]
for metric, k, rope, d in cases:
    r = tests(d, k, rope, metric)
    print(metric, k, rope, d, {key: float(v) for key, v in r.items()})
