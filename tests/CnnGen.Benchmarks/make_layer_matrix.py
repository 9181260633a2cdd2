#!/usr/bin/python3
"""Writes LayerMatrix.cs: the layer matrix of issue 11.

Every distinct conv, pool and fully connected layer shape of the torchvision models below, traced at a
64x64 and a 224x224 input, plus 1-D audio convs (40 features x 100 frames, kernels 3-9, strides 1-2),
each declared as its own single-layer CnnGen network, with the activation the model applies right
after it (through its BatchNorm, which CnnGen folds away). Random weights; nothing is downloaded.

    /usr/bin/python3 tests/CnnGen.Benchmarks/make_layer_matrix.py   # Debian's python3-torch, python3-torchvision
"""
import os
import re

import torch
import torch.nn as nn
import torchvision.models as tvm

MODELS = ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2_x0_5",
          "efficientnet_b0", "alexnet", "vgg11"]
SIZES = [64, 224]
MAX_FC_WEIGHTS = 4_200_000  # AlexNet's and VGG's 9216/25088 x 4096 classifiers (150-400 MB) are left out

ACTIVATIONS = {nn.ReLU: "Relu", nn.ReLU6: "Clip(0, 6)", nn.Hardswish: "HardSwish", nn.SiLU: "Silu"}
ACTIVATION_SUFFIX = {"Relu": "+Relu", "Clip(0, 6)": "+Relu6", "HardSwish": "+HardSwish", "Silu": "+Silu"}


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def parent(module_name):
    return module_name.rsplit(".", 1)[0] if "." in module_name else ""


def trace(name, size):
    """(module name, module, input shape C,H,W, activation or None) for every leaf, in execution order."""
    torch.manual_seed(0)
    model = getattr(tvm, name)(weights=None).eval()
    leaves = [(n, m) for n, m in model.named_modules() if len(list(m.children())) == 0]
    seen = []
    hooks = [m.register_forward_hook(lambda m, i, o, n=n: seen.append((n, m, tuple(i[0].shape[1:]))))
             for n, m in leaves]
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    result = []
    for k, (n, m, shape) in enumerate(seen):
        activation = None
        following = seen[k + 1:k + 3]
        if following and isinstance(following[0][1], nn.BatchNorm2d):
            following = following[1:]
        # the model's own activation of this layer is a sibling module (ResNet's block-level relu after the
        # residual sum follows the downsample's BatchNorm too, but belongs to the block, not to the downsample)
        if following and type(following[0][1]) in ACTIVATIONS and parent(following[0][0]) == parent(n):
            activation = ACTIVATIONS[type(following[0][1])]
        result.append((n, m, shape, activation))
    return result


def declaration(m, shape, activation):
    """The layer attributes after [Network, Input(...)], or None for a layer kind the matrix skips."""
    c, h, w = shape if len(shape) == 3 else (shape[0], 1, 1)
    if isinstance(m, nn.Conv2d):
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(m.kernel_size), pair(m.stride), pair(m.padding), pair(m.dilation)
        args = [f"Conv({kw}, {kh}, {m.out_channels}"]
        args.append(f"Stride = {sw}" if sw == sh else f"StrideX = {sw}, StrideY = {sh}") if (sw, sh) != (1, 1) else None
        args.append(f"Padding = {pw}" if pw == ph else f"PadLeft = {pw}, PadRight = {pw}, PadTop = {ph}, PadBottom = {ph}") if (pw, ph) != (0, 0) else None
        args.append(f"Dilation = {dw}") if (dw, dh) != (1, 1) else None
        args.append(f"Groups = {m.groups}") if m.groups != 1 else None
        layer = ", ".join(args) + ")"
    elif isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
        (kh, kw), stride, (ph, pw) = pair(m.kernel_size), pair(m.stride or m.kernel_size), pair(m.padding)
        kind = "MaxPool" if isinstance(m, nn.MaxPool2d) else "AvgPool"
        args = [f"{kind}({kw}, {kh}", f"Stride = {stride[0]}"]
        args.append(f"Padding = {pw}") if pw else None
        args.append("CeilMode = true") if m.ceil_mode else None
        if isinstance(m, nn.AvgPool2d) and pw and not m.count_include_pad:
            args.append("ExcludePadding = true")
        layer = ", ".join(args) + ")"
        activation = None
    elif isinstance(m, nn.AdaptiveAvgPool2d) and pair(m.output_size) == (1, 1):
        layer, activation = "GlobalAvgPool", None
    elif isinstance(m, nn.Linear):
        if m.in_features * m.out_features > MAX_FC_WEIGHTS:
            return None
        c, h, w = m.in_features, 1, 1
        layer = f"FullyConnected({m.out_features})"
    else:
        return None
    if (isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)) and (h < pair(m.kernel_size)[0] or w < pair(m.kernel_size)[1])):
        return None
    return f"Input({w}, {h}, {c}), {layer}" + (f", {activation}" if activation else "")


def audio():
    rows = []
    for kernel, stride, channels, frames, filters in [(3, 1, 40, 100, 64), (3, 2, 40, 100, 64), (5, 1, 40, 100, 64),
                                                      (5, 2, 40, 100, 64), (9, 1, 40, 100, 64), (9, 2, 40, 100, 64),
                                                      (7, 1, 40, 100, 64), (7, 2, 40, 100, 64),
                                                      (3, 1, 64, 100, 64), (5, 2, 64, 50, 128)]:
        pad = kernel // 2
        stride_arg = f", StrideX = {stride}" if stride > 1 else ""
        name = f"audio/conv{kernel} s{stride} {channels}to{filters}+Relu"
        rows.append((name, f"Input({frames}, 1, {channels}), Conv({kernel}, 1, {filters}{stride_arg}, PadLeft = {pad}, PadRight = {pad}), Relu"))
    return rows


def main():
    rows, seen = [], set()
    for size in SIZES:
        for model in MODELS:
            for name, m, shape, activation in trace(model, size):
                d = declaration(m, shape, activation)
                shape_only = declaration(m, shape, None)
                if d is None or shape_only in seen:
                    continue  # the same shape with another activation costs the same but for the epilogue
                seen.add(shape_only)
                suffix = ACTIVATION_SUFFIX.get(activation, "") if isinstance(m, nn.Conv2d) else ""
                rows.append((f"{model}@{size}/{name}{suffix}", d))
    rows += audio()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "LayerMatrix.cs")
    with open(out, "w") as f:
        f.write("// <auto-generated by make_layer_matrix.py: edit the script, not this file />\n")
        f.write("// The layer matrix of issue 11: every distinct conv, pool and fully connected layer shape of\n")
        f.write(f"// {', '.join(MODELS)}\n")
        f.write("// at 64x64 and 224x224 inputs (torchvision's definitions, traced), and 1-D audio convs (40 features x\n")
        f.write("// 100 frames), each as its own network with the activation the model applies after it. A shape that\n")
        f.write("// occurs in several models appears once, under the first name. Row names: model@input size/module+activation.\n")
        f.write("using CnnGen;\n\nnamespace CnnGen.Benchmarks.Networks;\n\n#pragma warning disable CS1591\n\n")
        for i, (_, d) in enumerate(rows):
            f.write(f"[Network, {d}] public partial class M{i:000} {{ }}\n")
        f.write("\n/// <summary>The matrix's rows: display name and a factory of the generated network.</summary>\n")
        f.write("public static class LayerMatrix\n{\n")
        f.write("    public static readonly (string Id, System.Collections.Generic.IReadOnlyList<LayerInfo> Layers, int ParameterCount, System.Func<float[], INetwork> Create)[] Rows =\n    [\n")
        for i, (name, _) in enumerate(rows):
            f.write(f"        (\"{name}\", M{i:000}.Layers, M{i:000}.ParameterCount, p => new M{i:000}(p)),\n")
        f.write("    ];\n}\n")
    print(f"{len(rows)} rows -> {out}")


if __name__ == "__main__":
    main()
