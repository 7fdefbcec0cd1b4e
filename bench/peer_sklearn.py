#!/usr/bin/python3
"""scikit-learn peer for the binary-digits training benchmark.

Trains sklearn.neural_network.MLPClassifier (784 -> H1 -> ... -> 1) on MNIST
0/1 rows read from a CSV and prints ONE JSON object with per-epoch wall times
and the final training accuracy / log loss.  Run it with Debian's interpreter:

    /usr/bin/python3 bench/peer_sklearn.py --data data/train.csv --rows 6612 \
        --layers 25,15 --epochs 5 --warmup 1

Estimator: MLPClassifier(hidden_layer_sizes=--layers, activation=logistic|relu|
tanh (our "sigmoid" is sklearn's "logistic"), solver="adam",
learning_rate_init=--lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
batch_size=--batch-size, shuffle=True, alpha=0.0, early_stopping=False,
tol=0.0, n_iter_no_change=warmup+epochs+1, random_state=RandomState(--seed)).
With a binary target sklearn builds exactly one logistic output unit and
minimises the mean binary cross-entropy, like our model.

  * alpha=0.0: sklearn's default alpha=1e-4 adds an L2 penalty that neither
    our TF.js model nor the PyTorch peer has; it is switched off.
  * epsilon=1e-7 is Keras/TF.js's Adam epsilon (sklearn's default is 1e-8).
    Note sklearn applies it as lr_t * m / (sqrt(v) + eps) with
    lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t), whereas TF.js/PyTorch use
    lr * m_hat / (sqrt(v_hat) + eps); the two differ only in how eps is
    scaled (by sqrt(1 - b2^t)), which is negligible here.
  * Initialisation is left as sklearn's own, and it is NOT Keras's: weights
    U(-b, b) with b = sqrt(2 / (fan_in + fan_out)) for "logistic" (the Glorot
    bound sqrt(6 / (fan_in + fan_out)) for relu/tanh), and the biases are drawn
    from the same uniform instead of being zero.  This does not change the cost
    of an epoch; it can change the accuracy slightly.
  * float32: the inputs are given as float32 and MLPClassifier keeps that
    dtype (check_array accepts float32/float64 and does not upcast); weights,
    activations, gradients and the Adam moments are then float32 too, so this
    peer computes in float32 like the others (with float64 input it would run
    entirely in float64).  The BLAS behind numpy (Debian: OpenBLAS) is pinned to
    1 thread via the environment and threadpoolctl.

Per-epoch training: one partial_fit(X, y, classes=[0, 1]) call per epoch.
partial_fit runs exactly one pass over the data (one shuffle, ceil(n / batch)
Adam steps, last partial batch kept) and KEEPS the Adam optimiser (its moments
m, v and step count t) between calls: _fit_stochastic only creates a new
optimiser `if not incremental or not hasattr(self, "_optimizer")`.
fit(max_iter=1) with warm_start=True would NOT be equivalent: fit() is not
incremental, so every call builds a fresh AdamOptimizer (m = v = 0, t = 0,
i.e. the bias correction restarts every epoch).  (Checked in sklearn 1.2.1,
sklearn/neural_network/_multilayer_perceptron.py, _fit_stochastic.)

Shuffling: every _fit call re-runs check_random_state(self.random_state).
With an int random_state that creates a fresh RandomState(seed) on each call,
so epoch-by-epoch partial_fit would reuse one and the same permutation for
every epoch after the first (verified).  We therefore pass a
np.random.RandomState(seed) instance, which check_random_state returns as is,
so it advances across calls: the weight initialisation and the per-epoch
shuffles consume exactly the same random draws as a single
fit(max_iter=warmup+epochs, random_state=seed), and every epoch gets a fresh
uniformly random order.  The orders are not bit-identical to fit's, because
fit() shuffles the previous epoch's order again while partial_fit shuffles
arange(n) (verified: fit's epoch-k order is the composition of our first k
permutations), so the first epoch is identical and later ones are merely
equivalent in distribution.

Timing: the CSV is parsed and converted to a float32 array before any timing.
Each epoch is timed with time.perf_counter() around one partial_fit call, which
includes sklearn's own per-call overhead (input validation with a finiteness
check of X, label binarisation) besides the shuffle and the Adam steps.  On
6612 rows that overhead is about 2 ms per call (measured: ~0.054 s/epoch this
way vs ~0.048 s/epoch inside one plain fit(max_iter=6)); it is a real cost of
training sklearn epoch by epoch and is left in.

Warm-up: the --warmup epochs are run first, untimed, on the SAME estimator (they
are real training epochs), so the reported accuracy/log loss is that of the
model after warmup + epochs epochs.  ConvergenceWarning is suppressed.

Accuracy: fraction of the training rows whose predicted probability is > 0.5
(sklearn's predict uses the same strict threshold) equals the label.
Log loss: mean binary cross-entropy of the final model on the training rows,
computed in float64 from predict_proba clipped to [1e-7, 1 - 1e-7] (the Keras
convention): peer_common.log_loss_and_accuracy, shared with the PyTorch peer.

Errors in the arguments or the data file: message on stderr, exit code 2.
"""

import json
import os
import statistics
import sys
import time

# peer_common sits beside this script; found from any working directory (and under -P / -I).
# No bench/__pycache__/ in the user's checkout for a module this small.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import peer_common as common  # noqa: E402  (pins the BLAS thread pools: before numpy/torch load)

PROG = "peer_sklearn.py"
DESCRIPTION = ("scikit-learn MLPClassifier (adam, 1 thread, float32) peer of the binary-digits "
               "training benchmark. Prints one JSON object on stdout.")


# --------------------------------------------------------------------------- main

SKLEARN_ACTIVATION = {"sigmoid": "logistic", "relu": "relu", "tanh": "tanh"}


def main(argv=None):
    args = common.build_parser(PROG, DESCRIPTION).parse_args(argv)
    pixels, labels = common.load_csv_or_exit(PROG, args)

    import warnings

    import numpy as np
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from threadpoolctl import threadpool_limits

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    threadpool_limits(limits=1)

    # Convert once, outside the timed region: float32 in [0, 1], integer labels.
    x = pixels.astype(np.float32) / np.float32(255.0)
    y = labels.astype(np.int64)
    n = x.shape[0]
    total_epochs = args.warmup + args.epochs

    model = MLPClassifier(
        hidden_layer_sizes=tuple(args.layers),
        activation=SKLEARN_ACTIVATION[args.activation],
        solver="adam",
        alpha=0.0,                       # no L2 penalty, like the other peers
        batch_size=args.batch_size,
        learning_rate_init=args.lr,
        max_iter=total_epochs,           # unused by partial_fit; one pass per call
        shuffle=True,
        random_state=np.random.RandomState(args.seed),  # instance: advances across calls
        tol=0.0,
        n_iter_no_change=total_epochs + 1,
        early_stopping=False,
        warm_start=False,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,                    # Keras/TF.js Adam epsilon
    )
    classes = np.array([0, 1])

    def train_one_epoch():
        model.partial_fit(x, y, classes=classes)

    for _ in range(args.warmup):  # untimed, same estimator
        train_one_epoch()

    seconds = []
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        train_one_epoch()
        seconds.append(time.perf_counter() - t0)

    if model.n_iter_ != total_epochs:  # partial_fit must do exactly one pass per call
        raise RuntimeError("expected %d epochs, sklearn reports %d" % (total_epochs, model.n_iter_))
    dtype = str(model.coefs_[0].dtype)

    prob = model.predict_proba(x)[:, list(model.classes_).index(1)]
    train_log_loss, train_accuracy = common.log_loss_and_accuracy(prob, labels)

    result = {
        "peer": "scikit-learn",
        "version": sklearn.__version__,
        "threads": 1,
        "rows": int(n),
        "layers": list(args.layers),
        "epochs": args.epochs,
        "batchSize": args.batch_size,
        "secondsPerEpoch": seconds,
        "medianSecondsPerEpoch": statistics.median(seconds),
        "trainAccuracy": train_accuracy,
        "trainLogLoss": train_log_loss,
        "warmupEpochs": args.warmup,
        "activation": args.activation,
        "dtype": dtype,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
