"""What the PyTorch and scikit-learn peers of the binary-digits benchmark share.

The command line (the same flags for both, so bench/run.ts calls them alike),
reading the CSV, and the definition of the reported log loss and accuracy, so
the two peers are measured and scored the same way.

Importing this module pins every BLAS/OpenMP thread pool to one thread, through
the environment: import it before numpy or torch is loaded.

Errors in the arguments or the data file: message on stderr, exit code 2.
"""

import argparse
import os
import sys

# Pin every thread pool to one thread before numpy/torch load their BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

N_PIXELS = 784
PROB_CLIP = 1e-7  # Keras/TF.js backend epsilon, used to clip probabilities for the log loss


class UsageError(Exception):
    """Bad arguments or bad input data: reported on stderr, exit code 2."""


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


def build_parser(prog, description):
    """The peers' common command line; argparse itself exits 2 on bad arguments."""
    p = argparse.ArgumentParser(
        prog=prog,
        description=description,
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


def load_csv_or_exit(prog, args):
    """load_csv(args.data, args.rows); on bad data, the message on stderr and exit code 2."""
    try:
        return load_csv(args.data, args.rows)
    except UsageError as e:
        print("%s: error: %s" % (prog, e), file=sys.stderr)
        sys.exit(2)


# --------------------------------------------------------------------------- scores

def log_loss_and_accuracy(prob, labels):
    """Mean BCE (probabilities clipped to [1e-7, 1-1e-7], float64) and accuracy at p > 0.5."""
    import numpy as np

    p = np.clip(np.asarray(prob, dtype=np.float64).reshape(-1), PROB_CLIP, 1.0 - PROB_CLIP)
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    loss = float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))
    accuracy = float(np.mean((p > 0.5) == (y == 1.0)))
    return loss, accuracy
