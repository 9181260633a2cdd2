"""Writes ../Model/reference-outputs.json: the exported model's outputs for cross-checks from C#.

Inputs: the first 5 held-out images (t10k indices 8000-8004) and ../Digits/digit-*.png,
each fed as pixel / 255.0 (float32, 1x1x28x28). Runs lenet.onnx with onnxruntime when it is
installed; otherwise (Debian has no onnxruntime package) runs torch with the weights read
from lenet.onnx's initializers, after checking that they equal lenet.weights bit for bit.
Run with Debian's Python: /usr/bin/python3 reference_outputs.py
"""
import glob
import json
import os
from collections import OrderedDict

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from PIL import Image

import common

OUT_PATH = os.path.join(common.MODEL_DIR, "reference-outputs.json")
N_HELD_OUT = 5


def onnxruntime_runner():
    import onnxruntime as ort
    session = ort.InferenceSession(common.ONNX_PATH, providers=["CPUExecutionProvider"])
    return "onnxruntime " + ort.__version__, lambda x: session.run(["probabilities"], {"input": x})[0][0]


def torch_runner():
    model = onnx.load(common.ONNX_PATH)
    ops = [n.op_type for n in model.graph.node]
    expected = ["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Softmax"]
    assert ops == expected, f"unexpected ONNX graph: {ops}"
    attrs = [{a.name: onnx.helper.get_attribute_value(a) for a in n.attribute} for n in model.graph.node]
    assert all(attrs[i]["pads"] == [2, 2, 2, 2] and attrs[i]["strides"] == [1, 1] for i in (0, 3))
    assert all(attrs[i]["kernel_shape"] == [2, 2] and attrs[i]["strides"] == [2, 2] for i in (2, 5))
    assert attrs[7]["transB"] == attrs[9]["transB"] == 1 and attrs[10]["axis"] == 1
    weights = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    raw = np.fromfile(common.WEIGHTS_PATH, dtype="<f4")
    from_onnx = np.concatenate([weights[name].ravel() for name in common.WEIGHT_NAMES])
    assert np.array_equal(from_onnx, raw), "lenet.onnx and lenet.weights disagree"
    net = common.build_net()
    net.load_state_dict(OrderedDict((n, torch.from_numpy(weights[n].copy())) for n in common.WEIGHT_NAMES))
    model_fn = common.with_softmax(net).eval()

    def run(x):
        with torch.no_grad():
            return model_fn(torch.from_numpy(x)).numpy()[0]
    return f"torch {torch.__version__} with the weights of lenet.onnx (onnxruntime not installed)", run


def entry(source, label, pixels, run):
    x = (pixels.astype(np.float32) / 255.0).reshape(1, 1, 28, 28)
    probs = run(x)
    return {**source, "label": int(label), "predicted": int(np.argmax(probs)),
            "probabilities": [float(f"{p:.9g}") for p in probs]}


def main():
    torch.set_num_threads(1)
    try:
        backend, run = onnxruntime_runner()
    except ImportError:
        backend, run = torch_runner()

    images, labels = common.load_mnist()
    outputs = [entry({"source": "t10k", "index": i}, labels[i], images[i], run)
               for i in range(common.N_TRAIN, common.N_TRAIN + N_HELD_OUT)]
    for path in sorted(glob.glob(os.path.join(common.DIGITS_DIR, "digit-*.png"))):
        name = os.path.basename(path)
        label = int(name[len("digit-"):-len(".png")])
        outputs.append(entry({"source": "digits", "file": name}, label, np.asarray(Image.open(path).convert("L")), run))

    doc = {"model": "lenet.onnx", "backend": backend,
           "input": "pixel / 255.0 as float32, shape 1x1x28x28; t10k index counts from 0 in t10k-images-idx3-ubyte",
           "outputs": outputs}
    with open(OUT_PATH, "w") as f:  # one output per line
        f.write(json.dumps(doc, indent=1).split('"outputs": [')[0] + '"outputs": [\n  ')
        f.write(",\n  ".join(json.dumps(o) for o in outputs) + "\n ]\n}\n")
    for o in outputs:
        print(o.get("file", o.get("index")), "label", o["label"], "predicted", o["predicted"])
    print(f"wrote {OUT_PATH} ({backend})")


if __name__ == "__main__":
    main()
