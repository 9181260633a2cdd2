"""Shared helpers for the MNIST sample: data loading, the network, file paths."""
import gzip
import os
import struct
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.normpath(os.path.join(HERE, "..", "Model"))
DIGITS_DIR = os.path.normpath(os.path.join(HERE, "..", "Digits"))
DATA_DIR = os.environ.get("MNIST_DIR", "/work/shared/data/mnist")
IMAGES = os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz")
LABELS = os.path.join(DATA_DIR, "t10k-labels-idx1-ubyte.gz")

ONNX_PATH = os.path.join(MODEL_DIR, "lenet.onnx")
WEIGHTS_PATH = os.path.join(MODEL_DIR, "lenet.weights")
REPORT_PATH = os.path.join(MODEL_DIR, "training-report.txt")

N_TRAIN = 8000  # the first 8,000 test-set images are trained on; the last 2,000 are held out
SEED = 1234


def read_idx(path):
    """Reads an IDX file (big-endian header, then unsigned bytes) into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, "expected unsigned-byte IDX data"
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_mnist():
    """Returns (images uint8 [10000,28,28], labels uint8 [10000])."""
    images, labels = read_idx(IMAGES), read_idx(LABELS)
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)
    return images, labels


def to_input(pixels):
    """uint8 pixels [..., 28, 28] -> float32 tensor [N, 1, 28, 28] scaled by 1/255 only."""
    x = torch.from_numpy(np.asarray(pixels, dtype=np.float32) / 255.0)
    return x.reshape(-1, 1, 28, 28)


def build_net():
    """The trained network (outputs logits). state_dict order:
    conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2.weight, fc2.bias."""
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 8, 5, padding=2)),
        ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(2, 2)),
        ("conv2", nn.Conv2d(8, 16, 5, padding=2)),
        ("relu2", nn.ReLU()),
        ("pool2", nn.MaxPool2d(2, 2)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(16 * 7 * 7, 64)),
        ("relu3", nn.ReLU()),
        ("fc2", nn.Linear(64, 10)),
    ]))


def with_softmax(net):
    """The exported model: the same modules (same parameter names) plus Softmax(dim=1)."""
    return nn.Sequential(OrderedDict(list(net.named_children()) + [("softmax", nn.Softmax(dim=1))]))


WEIGHT_NAMES = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
WEIGHT_COUNT = 8 * 1 * 25 + 8 + 16 * 8 * 25 + 16 + 784 * 64 + 64 + 64 * 10 + 10  # 54,314 floats


def load_weights(path=WEIGHTS_PATH):
    """Loads lenet.weights (raw little-endian float32, state_dict order) into a fresh network."""
    flat = np.fromfile(path, dtype="<f4")
    assert flat.size == WEIGHT_COUNT, f"{path}: {flat.size} floats, expected {WEIGHT_COUNT}"
    net, offset, state = build_net(), 0, OrderedDict()
    for name, tensor in net.state_dict().items():
        n = tensor.numel()
        state[name] = torch.from_numpy(flat[offset:offset + n].astype(np.float32)).reshape(tensor.shape)
        offset += n
    net.load_state_dict(state)
    return net.eval()
