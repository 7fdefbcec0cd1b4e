#!/usr/bin/python3
"""PyTorch peer for the binary-digits training benchmark.

Trains a Dense network 784 -> H1 -> ... -> 1 on MNIST 0/1 rows read from a CSV
and prints ONE JSON object with per-epoch wall times and the final training
accuracy / log loss.  Run it with Debian's interpreter:

    /usr/bin/python3 bench/peer_torch.py --data data/train.csv --rows 6612 \
        --layers 25,15 --epochs 5 --warmup 1

What is matched to our TF.js/Keras model, on purpose:
  * float32 everywhere; 1 intra-op and 1 inter-op thread, and the BLAS library
    (Debian's torch calls OpenBLAS, which torch.set_num_threads does NOT limit)
    pinned to 1 thread as well.
  * Weights: Glorot-uniform (torch.nn.init.xavier_uniform_), biases: zeros --
    Keras' default Dense initialisers.  (PyTorch's own Linear default is
    Kaiming-uniform weights and non-zero biases; we do not use it.)
  * Output: one logit; the model's probability is sigmoid(logit).  The loss is
    binary cross-entropy computed with BCEWithLogitsLoss on the logit, which is
    mathematically sigmoid + BCE but numerically stable (log-sum-exp form, no
    log(0)).  It is averaged over the batch, as Keras does.
  * Adam(lr, betas=(0.9, 0.999), eps=1e-7).  1e-7 is Keras/TF.js's epsilon
    (backend.epsilon()); PyTorch's default is 1e-8.  TF.js's Adam update is
    lr * m_hat / (sqrt(v_hat) + eps), the same formula as torch.optim.Adam,
    so with eps=1e-7 the two optimisers are the same algorithm.
  * Mini-batches of --batch-size rows; the row order is reshuffled every epoch
    with a torch.Generator seeded from --seed; the last partial batch is kept
    (ceil(n / batch) steps per epoch), like Keras' fit(shuffle=true).

Timing: the CSV is parsed and turned into tensors before any timing.  Each
epoch is timed with time.perf_counter() around exactly one training epoch --
building that epoch's permutation, gathering the batches, forward, backward
and the optimiser step -- as a real training loop would do.  No evaluation
happens inside the timed region.

Warm-up: the --warmup epochs are run first, untimed, on the SAME model (they
are real training epochs: they consume shuffles and update the weights).  So
the reported accuracy/log loss is that of the model after warmup + epochs
epochs.  The "warmupEpochs" key in the output says how many there were.

Accuracy: fraction of the training rows whose probability is > 0.5 (strictly
greater, as Keras' binaryAccuracy and sklearn's predict do) equals the label.
Log loss: mean binary cross-entropy of the final model on the training rows,
computed in float64 from the probabilities clipped to [1e-7, 1 - 1e-7] (the
Keras convention), with the same definition as the scikit-learn peer.

Errors in the arguments or the data file: message on stderr, exit code 2.
"""

import argparse
import json
import os
import statistics
import sys
import time

# Pin every thread pool to one thread before numpy/torch load their BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

N_PIXELS = 784
PROB_CLIP = 1e-7  # Keras/TF.js backend epsilon, used to clip probabilities for the log loss


class UsageError(Exception):
    """Bad arguments or bad input data: reported on stderr, exit code 2."""


def fail(message):
    print("peer_torch.py: error: %s" % message, file=sys.stderr)
    sys.exit(2)


# --------------------------------------------------------------------------- args

def parse_layers(text):
    text = text.strip()
    if text == "":
        return []
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise argparse.ArgumentTypeError(
                "--layers must be a comma-separated list of positive integers "
                "(or an empty string for logistic regression), got %r" % text)
        sizes.append(int(part))
    return sizes


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a positive integer, got %r" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a positive integer, got %r" % text)
    return value


def non_negative_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a non-negative integer, got %r" % text)
    if value < 0:
        raise argparse.ArgumentTypeError("expected a non-negative integer, got %r" % text)
    return value


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a positive number, got %r" % text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("expected a positive number, got %r" % text)
    return value


def build_parser():
    p = argparse.ArgumentParser(
        prog="peer_torch.py",
        description="PyTorch (CPU, 1 thread, float32) peer of the binary-digits "
                    "training benchmark. Prints one JSON object on stdout.",
        epilog="Exit code 2 on bad arguments or unreadable/invalid data.")
    p.add_argument("--data", required=True, metavar="PATH",
                   help="CSV with header label,pixel0,...,pixel783; labels 0/1, pixels integers 0-255")
    p.add_argument("--rows", type=positive_int, default=None, metavar="N",
                   help="use the first N data rows (default: all)")
    p.add_argument("--layers", type=parse_layers, default=[25, 15], metavar="H1,H2,...",
                   help="hidden layer sizes, e.g. 25,15 (default); empty string = logistic regression")
    p.add_argument("--activation", choices=["sigmoid", "relu", "tanh"], default="sigmoid",
                   help="hidden-layer activation (default: sigmoid); the output is always sigmoid")
    p.add_argument("--lr", type=positive_float, default=0.001, help="Adam learning rate (default: 0.001)")
    p.add_argument("--batch-size", type=positive_int, default=32, help="mini-batch size (default: 32)")
    p.add_argument("--epochs", type=positive_int, default=5, help="timed epochs (default: 5)")
    p.add_argument("--warmup", type=non_negative_int, default=1,
                   help="untimed epochs run first on the same model (default: 1)")
    p.add_argument("--seed", type=int, default=0, help="seed for initialisation and shuffling (default: 0)")
    return p


# --------------------------------------------------------------------------- data

def load_csv(path, rows):
    """Return (pixels uint8 [n, 784], labels uint8 [n]) for the first `rows` data rows."""
    import numpy as np

    if not os.path.isfile(path):
        raise UsageError("data file not found: %s" % path)
    try:
        with open(path, "r", encoding="utf-8", newline="") as f:
            header = f.readline().strip().lstrip("\ufeff").split(",")
            expected = ["label"] + ["pixel%d" % i for i in range(N_PIXELS)]
            if [h.strip() for h in header] != expected:
                raise UsageError("%s: header must be label,pixel0,...,pixel%d" % (path, N_PIXELS - 1))
            try:
                # Parsed as float64 (exact for these values) so that a non-integer
                # such as "0.5" is rejected below instead of being truncated.
                table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2, max_rows=rows)
            except ValueError as e:
                raise UsageError("%s: cannot parse data rows as numbers: %s" % (path, e))
    except OSError as e:
        raise UsageError("cannot read %s: %s" % (path, e))
    if table.shape[0] == 0:
        raise UsageError("%s: no data rows" % path)
    if table.shape[1] != N_PIXELS + 1:
        raise UsageError("%s: expected %d columns, found %d" % (path, N_PIXELS + 1, table.shape[1]))
    if rows is not None and table.shape[0] < rows:
        raise UsageError("%s: --rows %d requested but the file has only %d data rows"
                         % (path, rows, table.shape[0]))
    labels, pixels = table[:, 0], table[:, 1:]
    if not np.isin(labels, (0, 1)).all():
        raise UsageError("%s: labels must be 0 or 1" % path)
    if not np.isfinite(pixels).all() or (pixels != np.round(pixels)).any() \
            or pixels.min() < 0 or pixels.max() > 255:
        raise UsageError("%s: pixel values must be integers in 0..255" % path)
    return pixels.astype(np.uint8), labels.astype(np.uint8)


def log_loss_and_accuracy(prob, labels):
    """Mean BCE (probabilities clipped to [1e-7, 1-1e-7], float64) and accuracy at p > 0.5."""
    import numpy as np

    p = np.clip(np.asarray(prob, dtype=np.float64).reshape(-1), PROB_CLIP, 1.0 - PROB_CLIP)
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    loss = float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))
    accuracy = float(np.mean((p > 0.5) == (y == 1.0)))
    return loss, accuracy


# --------------------------------------------------------------------------- main

def main(argv=None):
    args = build_parser().parse_args(argv)  # argparse itself exits 2 on bad arguments

    try:
        pixels, labels = load_csv(args.data, args.rows)
    except UsageError as e:
        fail(str(e))

    import numpy as np
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # only allowed before any inter-op work; it is already 1 here in practice
    # torch.set_num_threads does not reach OpenBLAS (Debian's torch has no MKL);
    # the environment variables above plus this limit make sure it is 1 thread too.
    threadpool_limits(limits=1)

    torch.manual_seed(args.seed)
    shuffle_gen = torch.Generator().manual_seed(args.seed)

    # Tensorise once, outside the timed region.
    x = torch.from_numpy(pixels.astype(np.float32) / np.float32(255.0))
    y = torch.from_numpy(labels.astype(np.float32)).reshape(-1, 1)
    n = x.shape[0]

    activation = {"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[args.activation]
    modules = []
    width = N_PIXELS
    for size in args.layers:
        modules += [torch.nn.Linear(width, size), activation()]
        width = size
    modules.append(torch.nn.Linear(width, 1))  # output logit; probability = sigmoid(logit)
    model = torch.nn.Sequential(*modules).to(torch.float32)
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)  # Keras glorotUniform
            torch.nn.init.zeros_(m.bias)             # Keras zeros
    model.train()

    # BCEWithLogitsLoss = sigmoid + binary cross-entropy in one numerically stable op.
    loss_fn = torch.nn.BCEWithLogitsLoss()
    # eps=1e-7 matches Keras/TF.js Adam (torch's default is 1e-8).
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-7)
    batch_size = args.batch_size

    def train_one_epoch():
        perm = torch.randperm(n, generator=shuffle_gen)
        for start in range(0, n, batch_size):  # last partial batch kept
            idx = perm[start:start + batch_size]
            xb, yb = x[idx], y[idx]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()

    for _ in range(args.warmup):  # untimed, same model
        train_one_epoch()

    seconds = []
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        train_one_epoch()
        seconds.append(time.perf_counter() - t0)

    model.eval()
    with torch.no_grad():
        prob = torch.sigmoid(model(x)).numpy()
    train_log_loss, train_accuracy = log_loss_and_accuracy(prob, labels)

    result = {
        "peer": "pytorch",
        "version": torch.__version__,
        "threads": 1,
        "rows": int(n),
        "layers": list(args.layers),
        "epochs": args.epochs,
        "batchSize": batch_size,
        "secondsPerEpoch": seconds,
        "medianSecondsPerEpoch": statistics.median(seconds),
        "trainAccuracy": train_accuracy,
        "trainLogLoss": train_log_loss,
        "warmupEpochs": args.warmup,
        "activation": args.activation,
        "dtype": "float32",
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
