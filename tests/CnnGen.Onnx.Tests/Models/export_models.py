#!/usr/bin/python3
"""Exports the torchvision test models (and a small U-Net written here) to ONNX with random weights.

Run with Debian's interpreter, which has python3-torch, python3-torchvision and python3-onnx:

    /usr/bin/python3 tests/CnnGen.Onnx.Tests/Models/export_models.py [model ...]   (all models without names)

Each architecture is torchvision's own code at reduced width (width_mult, fewer channels, 10 classes) so
every fixture stays well under 1 MB; the graph structure (residuals, depthwise convs, squeeze-excite,
channel shuffle, concat, SiLU, HardSwish, ...) is the full-size model's. Weights are random, never
pretrained; BatchNorm running statistics are random too, so folding them is really tested. Each model
is written at two input sizes with two export styles:

    <name>_64x64.onnx    opset 11, fixed batch 1   (Clip min/max as inputs, ReduceMean axes attribute, ...)
    <name>_96x112.onnx   opset 17, dynamic batch   (H = 96, W = 112; HardSwish native, run-time shape ops)
"""
import os
import sys
import torch
import torch.nn as nn
import torchvision
from torchvision.models import resnet, squeezenet, shufflenetv2, efficientnet, mobilenetv3

HERE = os.path.dirname(os.path.abspath(__file__))
NUM_CLASSES = 10


def randomize(model, seed):
    """Random weights everywhere, including BatchNorm's affine parameters and running statistics."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.weight.copy_(0.5 + torch.rand(m.weight.shape, generator=g))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=g))
                m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=g))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=g))
            elif isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                fan_in = m.weight[0].numel() if isinstance(m, (nn.Conv2d, nn.Linear)) else m.weight.shape[0] * m.weight[0, 0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
    return model.eval()


def resnet18():
    """torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) at 1/16 width: 4, 8, 16, 32 channels."""
    m = resnet.ResNet(resnet.BasicBlock, [2, 2, 2, 2], num_classes=NUM_CLASSES)
    m.inplanes = 4
    m.conv1 = nn.Conv2d(3, 4, kernel_size=7, stride=2, padding=3, bias=False)
    m.bn1 = nn.BatchNorm2d(4)
    m.layer1 = m._make_layer(resnet.BasicBlock, 4, 2)
    m.layer2 = m._make_layer(resnet.BasicBlock, 8, 2, stride=2)
    m.layer3 = m._make_layer(resnet.BasicBlock, 16, 2, stride=2)
    m.layer4 = m._make_layer(resnet.BasicBlock, 32, 2, stride=2)
    m.fc = nn.Linear(32, NUM_CLASSES)
    return m


def resnet50():
    """torchvision's ResNet-50 (Bottleneck, [3, 4, 6, 3]) at 1/16 width: 4, 8, 16, 32 channels inside the blocks, 16 to 128 out."""
    m = resnet.ResNet(resnet.Bottleneck, [3, 4, 6, 3], num_classes=NUM_CLASSES)
    m.inplanes = 4
    m.conv1 = nn.Conv2d(3, 4, kernel_size=7, stride=2, padding=3, bias=False)
    m.bn1 = nn.BatchNorm2d(4)
    m.layer1 = m._make_layer(resnet.Bottleneck, 4, 3)
    m.layer2 = m._make_layer(resnet.Bottleneck, 8, 4, stride=2)
    m.layer3 = m._make_layer(resnet.Bottleneck, 16, 6, stride=2)
    m.layer4 = m._make_layer(resnet.Bottleneck, 32, 3, stride=2)
    m.fc = nn.Linear(128, NUM_CLASSES)
    return m


def mobilenet_v2():
    """torchvision's MobileNetV2 at width 0.25, its last 1×1 conv cut from 1280 to 320 channels."""
    m = torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=NUM_CLASSES)
    m.features[18] = torchvision.ops.Conv2dNormActivation(80, 320, kernel_size=1, activation_layer=nn.ReLU6)
    m.classifier[1] = nn.Linear(320, NUM_CLASSES)
    return m


def mobilenet_v3_small():
    return torchvision.models.mobilenet_v3_small(width_mult=0.25, num_classes=NUM_CLASSES)


def mobilenet_v3_large():
    return torchvision.models.mobilenet_v3_large(width_mult=0.25, num_classes=NUM_CLASSES)


def squeezenet1_1():
    """torchvision's SqueezeNet 1.1 at 1/4 width (its Fire modules, ceil-mode pools, conv classifier)."""
    m = torchvision.models.squeezenet1_1(num_classes=NUM_CLASSES)
    fire = squeezenet.Fire
    m.features = nn.Sequential(
        nn.Conv2d(3, 16, kernel_size=3, stride=2),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        fire(16, 4, 16, 16),
        fire(32, 4, 16, 16),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        fire(32, 8, 32, 32),
        fire(64, 8, 32, 32),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        fire(64, 12, 48, 48),
        fire(96, 12, 48, 48),
        fire(96, 16, 64, 64),
        fire(128, 16, 64, 64),
    )
    m.classifier[1] = nn.Conv2d(128, NUM_CLASSES, kernel_size=1)
    return m


def shufflenet_v2_x0_5():
    """torchvision's ShuffleNetV2 with x0.5's stage depths [4, 8, 4] at half its channels."""
    return shufflenetv2.ShuffleNetV2([4, 8, 4], [12, 24, 48, 96, 256], num_classes=NUM_CLASSES)


def efficientnet_b0():
    """torchvision's EfficientNet with B0's configuration at width 0.2, depth 0.5 (MBConv, SE, SiLU)."""
    setting, last_channel = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.2, depth_mult=0.5)
    return efficientnet.EfficientNet(setting, 0.2, num_classes=NUM_CLASSES, last_channel=last_channel)


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """A small U-Net: input normalization, two down steps, a ConvTranspose up-step and a bilinear one,
    skip connections by concatenation, an explicit ZeroPad2d before an unpadded conv, a LeakyReLU."""

    def __init__(self, c=8, classes=2):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.enc1 = double_conv(3, c)
        self.enc2 = double_conv(c, 2 * c)
        self.pool = nn.MaxPool2d(2)
        self.bottom = double_conv(2 * c, 4 * c)
        self.up2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2)
        self.dec2 = double_conv(4 * c, 2 * c)
        self.up1 = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.reduce1 = nn.Sequential(nn.ZeroPad2d(1), nn.Conv2d(2 * c, c, 3), nn.LeakyReLU(0.1))
        self.dec1 = double_conv(2 * c, c)
        self.head = nn.Conv2d(c, classes, 1)

    def forward(self, x):
        x = (x - self.mean) / self.std
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        b = self.bottom(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], 1))
        d1 = self.dec1(torch.cat([self.reduce1(self.up1(d2)), e1], 1))
        return self.head(d1)


MODELS = {
    "resnet18": resnet18,
    "mobilenet_v2": mobilenet_v2,
    "mobilenet_v3_small": mobilenet_v3_small,
    "squeezenet1_1": squeezenet1_1,
    "shufflenet_v2_x0_5": shufflenet_v2_x0_5,
    "efficientnet_b0": efficientnet_b0,
    "unet": UNet,
    "resnet50": resnet50,
    "mobilenet_v3_large": mobilenet_v3_large,
}

# (height, width, opset, dynamic batch)
VARIANTS = [(64, 64, 11, False), (96, 112, 17, True)]


def main(names):
    for seed, (name, make) in enumerate(MODELS.items()):
        if names and name not in names:
            continue
        model = randomize(make(), 1000 + seed)
        for height, width, opset, dynamic in VARIANTS:
            path = os.path.join(HERE, f"{name}_{height}x{width}.onnx")
            x = torch.randn(1, 3, height, width)
            torch.onnx.export(
                model, x, path, opset_version=opset, input_names=["input"], output_names=["output"],
                dynamic_axes={"input": {0: "N"}, "output": {0: "N"}} if dynamic else None,
                do_constant_folding=True)
            params = sum(p.numel() for p in model.parameters())
            print(f"{os.path.basename(path)}: {params} parameters, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    torch.manual_seed(0)
    main(sys.argv[1:])
