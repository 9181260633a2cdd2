"""Trains the MNIST sample network deterministically and exports it.

Trains on the first 8,000 images of t10k, reports accuracy on the last 2,000, and writes
../Model/lenet.onnx, ../Model/lenet.weights and ../Model/training-report.txt.
Run with Debian's Python: /usr/bin/python3 train.py
"""
import os
import random
import time

import numpy as np
import onnx
import torch
from torch import nn

import common

EPOCHS = 15
BATCH = 64
LR = 2e-3
MAX_SHIFT = 2  # augmentation: random shift of up to +-2 pixels in x and y


def shift_batch(x, gen):
    """Shifts each image by a random (dy, dx) in [-MAX_SHIFT, MAX_SHIFT], filling with zeros."""
    n = x.shape[0]
    padded = nn.functional.pad(x, (MAX_SHIFT,) * 4)
    offsets = torch.randint(0, 2 * MAX_SHIFT + 1, (n, 2), generator=gen)
    return torch.stack([padded[i, :, dy:dy + 28, dx:dx + 28] for i, (dy, dx) in enumerate(offsets.tolist())])


def accuracy(net, x, y):
    with torch.no_grad():
        return (net(x).argmax(dim=1) == y).float().mean().item()


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    random.seed(common.SEED)
    np.random.seed(common.SEED)
    torch.manual_seed(common.SEED)
    gen = torch.Generator().manual_seed(common.SEED)

    images, labels = common.load_mnist()
    x_train = common.to_input(images[:common.N_TRAIN])
    y_train = torch.from_numpy(labels[:common.N_TRAIN].astype(np.int64))
    x_test = common.to_input(images[common.N_TRAIN:])
    y_test = torch.from_numpy(labels[common.N_TRAIN:].astype(np.int64))

    net = common.build_net()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for epoch in range(EPOCHS):
        net.train()
        order = torch.randperm(common.N_TRAIN, generator=gen)
        total = 0.0
        for i in range(0, common.N_TRAIN, BATCH):
            idx = order[i:i + BATCH]
            xb = shift_batch(x_train[idx], gen)
            opt.zero_grad()
            loss = loss_fn(net(xb), y_train[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        net.eval()
        print(f"epoch {epoch + 1:2d}  loss {total / common.N_TRAIN:.4f}  "
              f"held-out acc {accuracy(net, x_test, y_test):.4f}  ({time.time() - start:.0f}s)", flush=True)

    net.eval()
    held_out = accuracy(net, x_test, y_test)
    train_acc = accuracy(net, x_train, y_train)
    os.makedirs(common.MODEL_DIR, exist_ok=True)

    # Raw weights: little-endian float32, concatenated in state_dict order.
    state = net.state_dict()
    assert list(state) == common.WEIGHT_NAMES, list(state)
    flat = np.concatenate([t.detach().numpy().astype("<f4").ravel() for t in state.values()])
    assert flat.size == common.WEIGHT_COUNT
    flat.tofile(common.WEIGHTS_PATH)

    # ONNX: the same network with Softmax(dim=1) appended, batch fixed at 1.
    exported = common.with_softmax(net).eval()
    torch.onnx.export(exported, torch.zeros(1, 1, 28, 28), common.ONNX_PATH, opset_version=13,
                      input_names=["input"], output_names=["probabilities"], do_constant_folding=True)
    onnx.checker.check_model(onnx.load(common.ONNX_PATH))

    n_params = sum(p.numel() for p in net.parameters())
    with open(common.REPORT_PATH, "w") as f:
        f.write("MNIST sample (LeNet-style CNN) training report\n")
        f.write("Produced by: cd samples/Mnist/training && /usr/bin/python3 train.py\n\n")
        f.write(f"held-out accuracy: {held_out * 100:.2f}% ({round(held_out * 2000)}/2000, t10k images 8000-9999)\n")
        f.write(f"training accuracy: {train_acc * 100:.2f}% (t10k images 0-7999, unaugmented)\n")
        f.write(f"parameter count:   {n_params}\n")
        f.write(f"torch version:     {torch.__version__}\n")
        f.write(f"onnx version:      {onnx.__version__}\n")
        f.write(f"seed:              {common.SEED}\n")
        f.write(f"training:          Adam lr {LR} cosine, {EPOCHS} epochs, batch {BATCH}, "
                f"random shifts +-{MAX_SHIFT}px, 1 thread\n")
        f.write("input:             pixel / 255.0, float32, 1x1x28x28\n")
        f.write(f"lenet.weights:     {flat.size} float32 ({flat.size * 4} bytes), order: {', '.join(state)}\n")
    print(f"held-out accuracy {held_out:.4f}, {n_params} parameters, wrote {common.MODEL_DIR}")


if __name__ == "__main__":
    main()
