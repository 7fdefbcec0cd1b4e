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
Keras convention): peer_common.log_loss_and_accuracy, shared with the
scikit-learn peer.

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

PROG = "peer_torch.py"
DESCRIPTION = ("PyTorch (CPU, 1 thread, float32) peer of the binary-digits "
               "training benchmark. Prints one JSON object on stdout.")


# --------------------------------------------------------------------------- main

def main(argv=None):
    args = common.build_parser(PROG, DESCRIPTION).parse_args(argv)
    pixels, labels = common.load_csv_or_exit(PROG, args)

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
    width = common.N_PIXELS
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
    train_log_loss, train_accuracy = common.log_loss_and_accuracy(prob, labels)

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
