#!/usr/bin/python3
"""Records PyTorch's outputs for the blocks that PyTorchBlockTests declares in attributes.

Each block is a real torchvision module (or, for the U-Net step, a few lines of PyTorch) with random
weights (never pretrained) in eval mode. For each block this writes <name>.bin next to this script:

    int32 parameterCount, int32 inputLength, int32 outputLength   (little-endian)
    float32 parameters[parameterCount]   in CnnGen's order: the attributes' order, each layer's own
                                         (Conv: weight then bias, zeros when the module has none;
                                          BatchNorm: weight, bias, running_mean, running_var;
                                          ConvTranspose: weight [in][out][kh][kw] then bias)
    float32 input[inputLength]           C,H,W order (batch 1)
    float32 output[outputLength]         C,H,W order, as PyTorch computes it in float32

Run with Debian's interpreter (apt-get install python3-torch python3-torchvision):
    /usr/bin/python3 tests/CnnGen.Generator.Tests/PyTorchBlocks/record_blocks.py
The fixtures are checked in; the tests do not need PyTorch.
"""
import os
import struct

import torch
from torch import nn
from torchvision.models import efficientnet, mobilenetv2, mobilenetv3, resnet, shufflenetv2, squeezenet

HERE = os.path.dirname(os.path.abspath(__file__))


class UNetUp(nn.Module):
    """One encoder level and the decoder step above it: pool, conv, ConvTranspose up, concat with the skip, conv."""

    def __init__(self, channels=8):
        super().__init__()
        self.enc = nn.Conv2d(channels, channels, 3, padding=1)
        self.down = nn.Conv2d(channels, 2 * channels, 3, padding=1)
        self.up = nn.ConvTranspose2d(2 * channels, channels, 2, stride=2)
        self.dec = nn.Conv2d(2 * channels, channels, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        skip = torch.relu(self.enc(x))
        low = torch.relu(self.down(nn.functional.max_pool2d(skip, 2)))
        up = self.up(low)
        return torch.relu(self.bn(self.dec(torch.cat([skip, up], dim=1))))


def blocks():
    """(name, module, input depth, height, width): the attribute declarations in PyTorchBlockTests mirror these."""
    norm = nn.BatchNorm2d
    yield "ResNetBasicDownsample", resnet.BasicBlock(
        8, 16, stride=2, downsample=nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))), 8, 7, 10
    yield "MobileNetV2InvertedResidual", mobilenetv2.InvertedResidual(8, 8, stride=1, expand_ratio=4), 8, 7, 10
    yield "MobileNetV3Block", mobilenetv3.InvertedResidual(
        mobilenetv3.InvertedResidualConfig(16, 3, 32, 16, True, "HS", 1, 1, 1.0), norm), 16, 7, 10
    yield "EfficientNetMBConv", efficientnet.MBConv(
        efficientnet.MBConvConfig(4, 3, 1, 8, 8, 1), stochastic_depth_prob=0.0, norm_layer=norm), 8, 7, 10
    yield "SqueezeNetFire", squeezenet.Fire(16, 8, 16, 16), 16, 7, 10
    yield "ShuffleNetV2Unit", shufflenetv2.InvertedResidual(16, 16, stride=1), 16, 7, 10
    yield "UNetUpStep", UNetUp(8), 8, 6, 8


def randomize(module, generator):
    """Random weights everywhere, and BatchNorm statistics far from the identity so a wrong fold shows."""
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.data = torch.rand(m.num_features, generator=generator) + 0.5
            m.bias.data = torch.randn(m.num_features, generator=generator) * 0.2
            m.running_mean = torch.randn(m.num_features, generator=generator) * 0.2
            m.running_var = torch.rand(m.num_features, generator=generator) + 0.5
        elif isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            m.weight.data = torch.randn(m.weight.shape, generator=generator) * (1.0 / m.weight[0].numel()) ** 0.5
            if m.bias is not None:
                m.bias.data = torch.randn(m.bias.shape, generator=generator) * 0.1


def parameters(module):
    """The parameters in CnnGen's order: modules in registration order, which is the order the attributes list them."""
    values = []
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            values += [m.weight, m.bias, m.running_mean, m.running_var]
        elif isinstance(m, nn.ConvTranspose2d):
            values += [m.weight, m.bias if m.bias is not None else torch.zeros(m.out_channels)]
        elif isinstance(m, nn.Conv2d):
            values += [m.weight, m.bias if m.bias is not None else torch.zeros(m.out_channels)]
        elif isinstance(m, nn.Linear):
            values += [m.weight, m.bias]
    return torch.cat([v.detach().reshape(-1) for v in values])


def main():
    generator = torch.Generator().manual_seed(20261130)
    for name, module, depth, height, width in blocks():
        randomize(module, generator)
        module.eval()
        x = torch.randn(1, depth, height, width, generator=generator)
        with torch.no_grad():
            y = module(x)
        params = parameters(module)
        flat = [params, x.reshape(-1), y.reshape(-1)]
        with open(os.path.join(HERE, name + ".bin"), "wb") as f:
            f.write(struct.pack("<3i", *(len(t) for t in flat)))
            for t in flat:
                f.write(t.to(torch.float32).numpy().astype("<f4").tobytes())
        print(f"{name}: {len(params)} parameters, input {tuple(x.shape)}, output {tuple(y.shape)}")


if __name__ == "__main__":
    main()
