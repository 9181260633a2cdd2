// Layer shapes from architectures outside the layer matrix's eight models (ResNeXt, ShuffleNet v1, DeepLab, Inception,
// DenseNet, YOLO, ConvNeXt, ResNet-50, the M5 audio net) and odd shapes no model was tuned on (odd channel counts and
// widths, stride 3, unpadded stride 2, 11-tap and stride-3 1-D convs, average pools with and without counting padding),
// and the session-8 sweep of layers from further afield (ViT's patch embedding, wav2vec 2.0's and SincNet's audio stems,
// YOLO's SPPF and GoogLeNet's stride-1 max pools, WaveNet's dilated 1-D conv, DeepLab's dilation 12, MnasNet, Xception): the `shapes` mode checks that the kernels'
// choices hold beyond the shapes they were measured on. Hand-written; each row is its own network, as in the matrix.
using CnnGen;

namespace CnnGen.Benchmarks.Networks;

#pragma warning disable CS1591

[Network, Input(28, 28, 256), Conv(3, 3, 256, Padding = 1, Groups = 32), Relu] public partial class S0 { }
[Network, Input(28, 28, 240), Conv(1, 1, 240, Groups = 3), Relu] public partial class S1 { }
[Network, Input(33, 33, 256), Conv(3, 3, 256, Padding = 2, Dilation = 2), Relu] public partial class S2 { }
[Network, Input(17, 17, 256), Conv(3, 3, 256, Padding = 4, Dilation = 4), Relu] public partial class S3 { }
[Network, Input(17, 17, 128), Conv(7, 1, 128, PadLeft = 3, PadRight = 3), Relu] public partial class S4 { }
[Network, Input(17, 17, 128), Conv(1, 7, 192, PadTop = 3, PadBottom = 3), Relu] public partial class S5 { }
[Network, Input(35, 35, 64), Conv(3, 3, 96, Padding = 1), Relu] public partial class S6 { }
[Network, Input(35, 35, 48), Conv(5, 5, 64, Padding = 2), Relu] public partial class S7 { }
[Network, Input(35, 35, 192), AvgPool(3, 3, Stride = 1, Padding = 1)] public partial class S8 { }
[Network, Input(35, 35, 192), AvgPool(3, 3, Stride = 1, Padding = 1, ExcludePadding = true)] public partial class SA0 { }
[Network, Input(17, 17, 768), AvgPool(3, 3, Stride = 1, Padding = 1)] public partial class SA1 { }
[Network, Input(35, 35, 64), AvgPool(3, 3, Stride = 2, Padding = 1)] public partial class SA2 { }
[Network, Input(56, 56, 128), Conv(3, 3, 32, Padding = 1)] public partial class S9 { }
[Network, Input(56, 56, 128), AvgPool(2, 2, Stride = 2)] public partial class S10 { }
[Network, Input(56, 56, 256), Conv(1, 1, 128), Relu] public partial class S11 { }
[Network, Input(104, 104, 32), Conv(3, 3, 64, Stride = 2, Padding = 1), LeakyRelu(Slope = 0.1f)] public partial class S12 { }
[Network, Input(224, 224, 3), Conv(4, 4, 96, Stride = 4)] public partial class S13 { }
[Network, Input(56, 56, 96), Conv(2, 2, 192, Stride = 2)] public partial class S14 { }
[Network, Input(56, 56, 96), Conv(7, 7, 96, Padding = 3, Groups = 96)] public partial class S15 { }
[Network, Input(14, 14, 1024), Conv(1, 1, 256), Relu] public partial class S16 { }
[Network, Input(14, 14, 256), Conv(3, 3, 256, Padding = 1), Relu] public partial class S17 { }
[Network, Input(7, 7, 2048), GlobalAvgPool] public partial class S18 { }
[Network, Input(1, 1, 2048), FullyConnected(1000)] public partial class S19 { }
[Network, Input(8000, 1, 1), Conv(80, 1, 128, StrideX = 4), Relu] public partial class S20 { }
[Network, Input(498, 1, 128), Conv(3, 1, 128, PadLeft = 1, PadRight = 1), Relu] public partial class S21 { }
[Network, Input(30, 30, 17), Conv(3, 3, 33, Padding = 1), Relu] public partial class S22 { }
[Network, Input(23, 23, 7), Conv(5, 5, 13)] public partial class S23 { }
[Network, Input(19, 19, 100), Conv(1, 1, 50), Relu] public partial class S24 { }
[Network, Input(60, 60, 16), Conv(3, 3, 32, Stride = 3), Relu] public partial class S25 { }
[Network, Input(63, 63, 24), Conv(3, 3, 48, Stride = 2), Relu] public partial class S26 { }
[Network, Input(9, 9, 384), Conv(3, 3, 384, Padding = 1), Relu] public partial class S27 { }
[Network, Input(40, 40, 48), Conv(5, 5, 48, Padding = 2, Groups = 48), HardSwish] public partial class S28 { }
[Network, Input(56, 56, 32), Conv(3, 3, 64, Padding = 1, Groups = 32), Relu] public partial class S29 { }
[Network, Input(15, 15, 512), MaxPool(3, 3, Stride = 2)] public partial class S30 { }
[Network, Input(100, 1, 40), Conv(11, 1, 64, PadLeft = 5, PadRight = 5), Relu] public partial class S31 { }
[Network, Input(100, 1, 40), Conv(5, 1, 64, StrideX = 3, PadLeft = 2, PadRight = 2), Relu] public partial class S32 { }
[Network, Input(400, 1, 64), Conv(9, 1, 128, StrideX = 2, PadLeft = 4, PadRight = 4), Relu] public partial class S33 { }
// Grouped convs users train (session 8): ShuffleNet v1's g8 and g3 1×1s and its depthwise 3×3s, RegNet's 3×3s with groups
// of 16 and 24 channels, ResNeXt's later stages (groups of 16 and 32), AlexNet's original 2-group convs.
[Network, Input(28, 28, 384), Conv(1, 1, 384, Groups = 8), Relu] public partial class S34 { }
[Network, Input(14, 14, 768), Conv(1, 1, 768, Groups = 8), Relu] public partial class S35 { }
[Network, Input(28, 28, 240), Conv(1, 1, 60, Groups = 3), Relu] public partial class S36 { }
[Network, Input(56, 56, 60), Conv(3, 3, 60, Stride = 2, Padding = 1, Groups = 60)] public partial class S37 { }
[Network, Input(28, 28, 60), Conv(3, 3, 60, Padding = 1, Groups = 60)] public partial class S38 { }
[Network, Input(28, 28, 64), Conv(3, 3, 64, Padding = 1, Groups = 4), Relu] public partial class S39 { }
[Network, Input(14, 14, 160), Conv(3, 3, 160, Padding = 1, Groups = 10), Relu] public partial class S40 { }
[Network, Input(28, 28, 336), Conv(3, 3, 336, Stride = 2, Padding = 1, Groups = 14), Relu] public partial class S41 { }
[Network, Input(14, 14, 336), Conv(3, 3, 336, Padding = 1, Groups = 14), Relu] public partial class S42 { }
[Network, Input(14, 14, 512), Conv(3, 3, 512, Padding = 1, Groups = 32), Relu] public partial class S43 { }
[Network, Input(7, 7, 1024), Conv(3, 3, 1024, Padding = 1, Groups = 32), Relu] public partial class S44 { }
[Network, Input(27, 27, 96), Conv(5, 5, 256, Padding = 2, Groups = 2), Relu] public partial class S45 { }
[Network, Input(13, 13, 384), Conv(3, 3, 384, Padding = 1, Groups = 2), Relu] public partial class S46 { }
[Network, Input(13, 13, 384), Conv(3, 3, 256, Padding = 1, Groups = 2), Relu] public partial class S47 { }

[Network, Input(224, 224, 3), Conv(16, 16, 768, Stride = 16)] public partial class SB0 { }
[Network, Input(16000, 1, 1), Conv(10, 1, 512, StrideX = 5)] public partial class SB1 { }
[Network, Input(16000, 1, 1), Conv(400, 1, 40, StrideX = 160)] public partial class SB2 { }
[Network, Input(20, 20, 256), MaxPool(5, 5, Stride = 1, Padding = 2)] public partial class SB3 { }
[Network, Input(28, 28, 192), MaxPool(3, 3, Stride = 1, Padding = 1)] public partial class SB4 { }
[Network, Input(28, 28, 96), MaxPool(3, 3, Stride = 3)] public partial class SB5 { }
[Network, Input(1000, 1, 128), MaxPool(4, 1, Stride = 4)] public partial class SB6 { }
[Network, Input(64, 64, 3), Conv(4, 4, 64, Stride = 2, Padding = 1), LeakyRelu(Slope = 0.2f)] public partial class SB7 { }
[Network, Input(4000, 1, 64), Conv(3, 1, 64, DilationX = 8, PadLeft = 8, PadRight = 8)] public partial class SB8 { }
[Network, Input(33, 33, 256), Conv(3, 3, 256, Padding = 12, Dilation = 12), Relu] public partial class SB9 { }
[Network, Input(1000, 1, 256), Conv(1, 1, 128), Relu] public partial class SB10 { }
[Network, Input(299, 299, 3), Conv(3, 3, 32, Stride = 2), Relu] public partial class SB11 { }
[Network, Input(56, 56, 72), Conv(5, 5, 72, Stride = 2, Padding = 2, Groups = 72), Relu] public partial class SB12 { }
[Network, Input(19, 19, 728), Conv(3, 3, 728, Padding = 1, Groups = 728)] public partial class SB13 { }
// Session 9's sweep: ceil-mode and padded 3×3/2 max pools whose last window passes the input's edge (GoogLeNet).
[Network, Input(112, 112, 64), MaxPool(3, 3, Stride = 2, CeilMode = true)] public partial class SC0 { }
[Network, Input(28, 28, 480), MaxPool(3, 3, Stride = 2, CeilMode = true)] public partial class SC1 { }
[Network, Input(20, 20, 64), MaxPool(3, 3, Stride = 2, Padding = 1)] public partial class SC2 { }
// Session 10: narrow-plane pools (CnnGen.Pooling's small planes).
[Network, Input(14, 14, 512), AvgPool(5, 5, Stride = 3)] public partial class SP0 { }
[Network, Input(20, 20, 64), AvgPool(5, 5, Stride = 3, Padding = 2, ExcludePadding = true)] public partial class SP1 { }
[Network, Input(7, 7, 832), MaxPool(3, 3, Stride = 1, Padding = 1)] public partial class SP2 { }
// Grouped convs onto small maps (session 11): RegNetX-400MF at 64×64, groups of 16 on 2×2 and from 8×8 onto 4×4, ResNeXt-50's
// groups of 32 on 2×2, and RegNetX-400MF's first grouped conv at 224 (3×3/2 from 112×112, 2 groups of 16).
[Network, Input(2, 2, 400), Conv(3, 3, 400, Padding = 1, Groups = 25), Relu] public partial class SG0 { }
[Network, Input(8, 8, 160), Conv(3, 3, 160, Stride = 2, Padding = 1, Groups = 10), Relu] public partial class SG1 { }
[Network, Input(2, 2, 1024), Conv(3, 3, 1024, Padding = 1, Groups = 32), Relu] public partial class SG2 { }
[Network, Input(112, 112, 32), Conv(3, 3, 32, Stride = 2, Padding = 1, Groups = 2), Relu] public partial class SG3 { }
// Stride-1 convs over few channels onto partly filled rows (session 12: the direct kernel's PartialRowTaps rule).
[Network, Input(22, 22, 16), Conv(3, 3, 64, Padding = 1), Relu] public partial class SD0 { }
[Network, Input(9, 9, 24), Conv(5, 5, 128, Padding = 2), Relu] public partial class SD1 { }
[Network, Input(10, 10, 16), Conv(3, 3, 64, Padding = 1), Relu] public partial class SD2 { }
[Network, Input(9, 9, 128), Conv(3, 3, 24, Padding = 1), Relu] public partial class SD3 { }
/// <summary>The shape sweep's rows: display name (architecture@input/layer) and a factory of the generated network.</summary>
public static class ShapeSweep
{
    public static readonly (string Id, System.Collections.Generic.IReadOnlyList<LayerInfo> Layers, int ParameterCount, System.Func<float[], INetwork> Create)[] Rows =
    [
        ("resnext50@224/layer2 3x3 g32", S0.Layers, S0.ParameterCount, p => new S0(p)),
        ("shufflenet_v1_g3@224/stage2 1x1 g3", S1.Layers, S1.ParameterCount, p => new S1(p)),
        ("deeplab@257/aspp 3x3 d2", S2.Layers, S2.ParameterCount, p => new S2(p)),
        ("deeplab@129/aspp 3x3 d4", S3.Layers, S3.ParameterCount, p => new S3(p)),
        ("inception_v3@299/mixed6 1x7", S4.Layers, S4.ParameterCount, p => new S4(p)),
        ("inception_v3@299/mixed6 7x1", S5.Layers, S5.ParameterCount, p => new S5(p)),
        ("inception_v3@299/mixed5 3x3", S6.Layers, S6.ParameterCount, p => new S6(p)),
        ("inception_v3@299/mixed5 5x5", S7.Layers, S7.ParameterCount, p => new S7(p)),
        ("inception_v3@299/mixed5 avgpool", S8.Layers, S8.ParameterCount, p => new S8(p)),
        ("inception_v3@299/mixed5 avgpool as ONNX (padding not counted)", SA0.Layers, SA0.ParameterCount, p => new SA0(p)),
        ("inception_v3@299/mixed6 avgpool", SA1.Layers, SA1.ParameterCount, p => new SA1(p)),
        ("odd shapes/avgpool 3x3 s2 on 35x35", SA2.Layers, SA2.ParameterCount, p => new SA2(p)),
        ("densenet121@224/block1 3x3 growth", S9.Layers, S9.ParameterCount, p => new S9(p)),
        ("densenet121@224/transition1 avgpool", S10.Layers, S10.ParameterCount, p => new S10(p)),
        ("densenet121@224/transition1 1x1", S11.Layers, S11.ParameterCount, p => new S11(p)),
        ("yolo@416/down 3x3 s2 leaky", S12.Layers, S12.ParameterCount, p => new S12(p)),
        ("convnext@224/stem 4x4 s4", S13.Layers, S13.ParameterCount, p => new S13(p)),
        ("convnext@224/downsample 2x2 s2", S14.Layers, S14.ParameterCount, p => new S14(p)),
        ("convnext@224/dw 7x7", S15.Layers, S15.ParameterCount, p => new S15(p)),
        ("resnet50@224/layer3 1x1 reduce", S16.Layers, S16.ParameterCount, p => new S16(p)),
        ("resnet50@224/layer3 3x3", S17.Layers, S17.ParameterCount, p => new S17(p)),
        ("resnet50@224/avgpool", S18.Layers, S18.ParameterCount, p => new S18(p)),
        ("resnet50@224/fc", S19.Layers, S19.ParameterCount, p => new S19(p)),
        ("m5@8k/conv1 k80 s4", S20.Layers, S20.ParameterCount, p => new S20(p)),
        ("m5@8k/conv k3", S21.Layers, S21.ParameterCount, p => new S21(p)),
        ("odd/3x3 17to33 on 30x30", S22.Layers, S22.ParameterCount, p => new S22(p)),
        ("odd/5x5 7to13 on 23x23", S23.Layers, S23.ParameterCount, p => new S23(p)),
        ("odd/1x1 100to50 on 19x19", S24.Layers, S24.ParameterCount, p => new S24(p)),
        ("odd/3x3 s3 on 60x60", S25.Layers, S25.ParameterCount, p => new S25(p)),
        ("odd/3x3 s2 unpadded on 63x63", S26.Layers, S26.ParameterCount, p => new S26(p)),
        ("odd/3x3 384 on 9x9", S27.Layers, S27.ParameterCount, p => new S27(p)),
        ("odd/dw 5x5 on 40x40", S28.Layers, S28.ParameterCount, p => new S28(p)),
        ("odd/3x3 g32 32to64 on 56x56", S29.Layers, S29.ParameterCount, p => new S29(p)),
        ("odd/maxpool 3x3 s2 on 15x15", S30.Layers, S30.ParameterCount, p => new S30(p)),
        ("audio/conv11 s1 40to64", S31.Layers, S31.ParameterCount, p => new S31(p)),
        ("audio/conv5 s3 40to64", S32.Layers, S32.ParameterCount, p => new S32(p)),
        ("audio/conv9 s2 64to128 on 400", S33.Layers, S33.ParameterCount, p => new S33(p)),
        ("shufflenet_v1_g8@224/stage2 1x1 g8", S34.Layers, S34.ParameterCount, p => new S34(p)),
        ("shufflenet_v1_g8@224/stage3 1x1 g8", S35.Layers, S35.ParameterCount, p => new S35(p)),
        ("shufflenet_v1_g3@224/stage2 1x1 g3 240to60", S36.Layers, S36.ParameterCount, p => new S36(p)),
        ("shufflenet_v1_g3@224/stage2 dw 3x3 s2", S37.Layers, S37.ParameterCount, p => new S37(p)),
        ("shufflenet_v1_g3@224/stage2 dw 3x3", S38.Layers, S38.ParameterCount, p => new S38(p)),
        ("regnetx_400mf@224/stage2 3x3 g4", S39.Layers, S39.ParameterCount, p => new S39(p)),
        ("regnetx_400mf@224/stage3 3x3 g10", S40.Layers, S40.ParameterCount, p => new S40(p)),
        ("regnety_1_6gf@224/stage3 3x3 s2 g14", S41.Layers, S41.ParameterCount, p => new S41(p)),
        ("regnety_1_6gf@224/stage3 3x3 g14", S42.Layers, S42.ParameterCount, p => new S42(p)),
        ("resnext50@224/layer3 3x3 g32", S43.Layers, S43.ParameterCount, p => new S43(p)),
        ("resnext50@224/layer4 3x3 g32", S44.Layers, S44.ParameterCount, p => new S44(p)),
        ("alexnet_2gpu@224/conv2 5x5 g2", S45.Layers, S45.ParameterCount, p => new S45(p)),
        ("alexnet_2gpu@224/conv4 3x3 g2", S46.Layers, S46.ParameterCount, p => new S46(p)),
        ("alexnet_2gpu@224/conv5 3x3 g2", S47.Layers, S47.ParameterCount, p => new S47(p)),
        ("vit_b16@224/patch embedding 16x16 s16", SB0.Layers, SB0.ParameterCount, p => new SB0(p)),
        ("wav2vec2@16k/conv0 k10 s5", SB1.Layers, SB1.ParameterCount, p => new SB1(p)),
        ("sincnet@16k/stem k400 s160", SB2.Layers, SB2.ParameterCount, p => new SB2(p)),
        ("yolov5@640/sppf maxpool 5x5 s1", SB3.Layers, SB3.ParameterCount, p => new SB3(p)),
        ("googlenet@224/inception3 maxpool 3x3 s1", SB4.Layers, SB4.ParameterCount, p => new SB4(p)),
        ("odd shapes/maxpool 3x3 s3 on 28x28", SB5.Layers, SB5.ParameterCount, p => new SB5(p)),
        ("m5@8k/maxpool k4 s4", SB6.Layers, SB6.ParameterCount, p => new SB6(p)),
        ("dcgan@64/discriminator conv1 4x4 s2", SB7.Layers, SB7.ParameterCount, p => new SB7(p)),
        ("wavenet@16k/dilated k3 d8", SB8.Layers, SB8.ParameterCount, p => new SB8(p)),
        ("deeplab@513/aspp 3x3 d12", SB9.Layers, SB9.ParameterCount, p => new SB9(p)),
        ("audio/1x1 256to128 on 1000", SB10.Layers, SB10.ParameterCount, p => new SB10(p)),
        ("inception_v3@299/stem 3x3 s2", SB11.Layers, SB11.ParameterCount, p => new SB11(p)),
        ("mnasnet@224/dw 5x5 s2", SB12.Layers, SB12.ParameterCount, p => new SB12(p)),
        ("xception@299/middle dw 3x3", SB13.Layers, SB13.ParameterCount, p => new SB13(p)),
        ("googlenet@224/maxpool1 3x3 s2 ceil", SC0.Layers, SC0.ParameterCount, p => new SC0(p)),
        ("googlenet@224/maxpool3 3x3 s2 ceil", SC1.Layers, SC1.ParameterCount, p => new SC1(p)),
        ("odd shapes/maxpool 3x3 s2 p1 on 20x20", SC2.Layers, SC2.ParameterCount, p => new SC2(p)),
        ("googlenet@224/aux avgpool 5x5 s3", SP0.Layers, SP0.ParameterCount, p => new SP0(p)),
        ("odd shapes/avgpool 5x5 s3 p2 excluded on 20x20", SP1.Layers, SP1.ParameterCount, p => new SP1(p)),
        ("googlenet@224/inception5 maxpool 3x3 s1", SP2.Layers, SP2.ParameterCount, p => new SP2(p)),
        ("regnetx_400mf@64/stage4 3x3 g25 on 2x2", SG0.Layers, SG0.ParameterCount, p => new SG0(p)),
        ("regnetx_400mf@64/stage3 3x3 s2 g10 onto 4x4", SG1.Layers, SG1.ParameterCount, p => new SG1(p)),
        ("resnext50@64/layer4 3x3 g32 on 2x2", SG2.Layers, SG2.ParameterCount, p => new SG2(p)),
        ("regnetx_400mf@224/stage1 3x3 s2 g2", SG3.Layers, SG3.ParameterCount, p => new SG3(p)),
        ("squeezenet1_0@96/fire2 expand3x3 (16 ch, 22 wide)", SD0.Layers, SD0.ParameterCount, p => new SD0(p)),
        ("odd shapes/5x5 24 ch onto 128 on 9x9", SD1.Layers, SD1.ParameterCount, p => new SD1(p)),
        ("odd shapes/3x3 16 ch onto 64 on 10x10", SD2.Layers, SD2.ParameterCount, p => new SD2(p)),
        ("odd shapes/3x3 128 ch onto 24 on 9x9", SD3.Layers, SD3.ParameterCount, p => new SD3(p)),
    ];
}
