// The layer matrix of issue 11: every distinct conv, pool and fully connected layer shape of ResNet-18,
// MobileNetV2 (its dense layers), SqueezeNet 1.1, AlexNet and VGG-11 at a 64×64 input, and 1-D audio
// convolutions (40 features × 100 frames), each as its own network. Written by a script from the
// models' definitions (torchvision); a shape that occurs in several models appears once.
using CnnGen;

namespace CnnGen.Benchmarks.Networks;

#pragma warning disable CS1591

[Network, Input(64, 64, 3), Conv(7, 7, 64, Stride = 2, Padding = 3), Relu] public partial class M_resnet18_conv1 { }
[Network, Input(32, 32, 64), MaxPool(3, 3, Stride = 2, Padding = 1)] public partial class M_resnet18_maxpool { }
[Network, Input(16, 16, 64), Conv(3, 3, 64, Padding = 1), Relu] public partial class M_resnet18_layer1 { }
[Network, Input(16, 16, 64), Conv(3, 3, 128, Stride = 2, Padding = 1), Relu] public partial class M_resnet18_layer2_0_conv1 { }
[Network, Input(8, 8, 128), Conv(3, 3, 128, Padding = 1), Relu] public partial class M_resnet18_layer2_conv { }
[Network, Input(16, 16, 64), Conv(1, 1, 128, Stride = 2)] public partial class M_resnet18_layer2_0_downsample { }
[Network, Input(8, 8, 128), Conv(3, 3, 256, Stride = 2, Padding = 1), Relu] public partial class M_resnet18_layer3_0_conv1 { }
[Network, Input(4, 4, 256), Conv(3, 3, 256, Padding = 1), Relu] public partial class M_resnet18_layer3_conv { }
[Network, Input(8, 8, 128), Conv(1, 1, 256, Stride = 2)] public partial class M_resnet18_layer3_0_downsample { }
[Network, Input(4, 4, 256), Conv(3, 3, 512, Stride = 2, Padding = 1), Relu] public partial class M_resnet18_layer4_0_conv1 { }
[Network, Input(2, 2, 512), Conv(3, 3, 512, Padding = 1), Relu] public partial class M_resnet18_layer4_conv { }
[Network, Input(4, 4, 256), Conv(1, 1, 512, Stride = 2)] public partial class M_resnet18_layer4_0_downsample { }
[Network, Input(2, 2, 512), AvgPool(2, 2, Stride = 2)] public partial class M_resnet18_avgpool { }
[Network, Input(1, 1, 512), FullyConnected(1000)] public partial class M_resnet18_fc { }
[Network, Input(64, 64, 3), Conv(3, 3, 32, Stride = 2, Padding = 1), Relu] public partial class M_mobilenet_v2_stem { }
[Network, Input(32, 32, 32), Conv(1, 1, 16)] public partial class M_mobilenet_v2_pw32to16_32 { }
[Network, Input(32, 32, 16), Conv(1, 1, 96), Relu] public partial class M_mobilenet_v2_pw16to96_32 { }
[Network, Input(16, 16, 96), Conv(1, 1, 24)] public partial class M_mobilenet_v2_pw96to24_16 { }
[Network, Input(16, 16, 24), Conv(1, 1, 144), Relu] public partial class M_mobilenet_v2_pw24to144_16 { }
[Network, Input(16, 16, 144), Conv(1, 1, 24)] public partial class M_mobilenet_v2_pw144to24_16 { }
[Network, Input(8, 8, 144), Conv(1, 1, 32)] public partial class M_mobilenet_v2_pw144to32_8 { }
[Network, Input(8, 8, 32), Conv(1, 1, 192), Relu] public partial class M_mobilenet_v2_pw32to192_8 { }
[Network, Input(8, 8, 192), Conv(1, 1, 32)] public partial class M_mobilenet_v2_pw192to32_8 { }
[Network, Input(4, 4, 192), Conv(1, 1, 64)] public partial class M_mobilenet_v2_pw192to64_4 { }
[Network, Input(4, 4, 64), Conv(1, 1, 384), Relu] public partial class M_mobilenet_v2_pw64to384_4 { }
[Network, Input(4, 4, 384), Conv(1, 1, 64)] public partial class M_mobilenet_v2_pw384to64_4 { }
[Network, Input(4, 4, 384), Conv(1, 1, 96)] public partial class M_mobilenet_v2_pw384to96_4 { }
[Network, Input(4, 4, 96), Conv(1, 1, 576), Relu] public partial class M_mobilenet_v2_pw96to576_4 { }
[Network, Input(4, 4, 576), Conv(1, 1, 96)] public partial class M_mobilenet_v2_pw576to96_4 { }
[Network, Input(2, 2, 576), Conv(1, 1, 160)] public partial class M_mobilenet_v2_pw576to160_2 { }
[Network, Input(2, 2, 160), Conv(1, 1, 960), Relu] public partial class M_mobilenet_v2_pw160to960_2 { }
[Network, Input(2, 2, 960), Conv(1, 1, 160)] public partial class M_mobilenet_v2_pw960to160_2 { }
[Network, Input(2, 2, 960), Conv(1, 1, 320)] public partial class M_mobilenet_v2_pw960to320_2 { }
[Network, Input(2, 2, 320), Conv(1, 1, 1280), Relu] public partial class M_mobilenet_v2_pw320to1280_2 { }
[Network, Input(1, 1, 1280), FullyConnected(1000)] public partial class M_mobilenet_v2_classifier { }
[Network, Input(64, 64, 3), Conv(3, 3, 64, Stride = 2), Relu] public partial class M_squeezenet1_1_conv1 { }
[Network, Input(31, 31, 64), MaxPool(3, 3, Stride = 2, CeilMode = true)] public partial class M_squeezenet1_1_pool1 { }
[Network, Input(15, 15, 64), Conv(1, 1, 16), Relu] public partial class M_squeezenet1_1_squeeze64to16_15 { }
[Network, Input(15, 15, 16), Conv(1, 1, 64), Relu] public partial class M_squeezenet1_1_expand1x1_16to64_15 { }
[Network, Input(15, 15, 16), Conv(3, 3, 64, Padding = 1), Relu] public partial class M_squeezenet1_1_expand3x3_16to64_15 { }
[Network, Input(15, 15, 128), Conv(1, 1, 16), Relu] public partial class M_squeezenet1_1_squeeze128to16_15 { }
[Network, Input(7, 7, 128), Conv(1, 1, 32), Relu] public partial class M_squeezenet1_1_squeeze128to32_7 { }
[Network, Input(7, 7, 32), Conv(1, 1, 128), Relu] public partial class M_squeezenet1_1_expand1x1_32to128_7 { }
[Network, Input(7, 7, 32), Conv(3, 3, 128, Padding = 1), Relu] public partial class M_squeezenet1_1_expand3x3_32to128_7 { }
[Network, Input(7, 7, 256), Conv(1, 1, 32), Relu] public partial class M_squeezenet1_1_squeeze256to32_7 { }
[Network, Input(3, 3, 256), Conv(1, 1, 48), Relu] public partial class M_squeezenet1_1_squeeze256to48_3 { }
[Network, Input(3, 3, 48), Conv(1, 1, 192), Relu] public partial class M_squeezenet1_1_expand1x1_48to192_3 { }
[Network, Input(3, 3, 48), Conv(3, 3, 192, Padding = 1), Relu] public partial class M_squeezenet1_1_expand3x3_48to192_3 { }
[Network, Input(3, 3, 384), Conv(1, 1, 48), Relu] public partial class M_squeezenet1_1_squeeze384to48_3 { }
[Network, Input(3, 3, 384), Conv(1, 1, 64), Relu] public partial class M_squeezenet1_1_squeeze384to64_3 { }
[Network, Input(3, 3, 64), Conv(1, 1, 256), Relu] public partial class M_squeezenet1_1_expand1x1_64to256_3 { }
[Network, Input(3, 3, 64), Conv(3, 3, 256, Padding = 1), Relu] public partial class M_squeezenet1_1_expand3x3_64to256_3 { }
[Network, Input(3, 3, 512), Conv(1, 1, 64), Relu] public partial class M_squeezenet1_1_squeeze512to64_3 { }
[Network, Input(15, 15, 128), MaxPool(3, 3, Stride = 2, CeilMode = true)] public partial class M_squeezenet1_1_pool3 { }
[Network, Input(7, 7, 256), MaxPool(3, 3, Stride = 2, CeilMode = true)] public partial class M_squeezenet1_1_pool5 { }
[Network, Input(3, 3, 512), Conv(1, 1, 1000), Relu] public partial class M_squeezenet1_1_classifier { }
[Network, Input(64, 64, 3), Conv(11, 11, 64, Stride = 4, Padding = 2), Relu] public partial class M_alexnet_conv1 { }
[Network, Input(15, 15, 64), MaxPool(3, 3, Stride = 2)] public partial class M_alexnet_pool1 { }
[Network, Input(7, 7, 64), Conv(5, 5, 192, Padding = 2), Relu] public partial class M_alexnet_conv2 { }
[Network, Input(7, 7, 192), MaxPool(3, 3, Stride = 2)] public partial class M_alexnet_pool2 { }
[Network, Input(3, 3, 192), Conv(3, 3, 384, Padding = 1), Relu] public partial class M_alexnet_conv3 { }
[Network, Input(3, 3, 384), Conv(3, 3, 256, Padding = 1), Relu] public partial class M_alexnet_conv4 { }
[Network, Input(3, 3, 256), Conv(3, 3, 256, Padding = 1), Relu] public partial class M_alexnet_conv5 { }
[Network, Input(3, 3, 256), MaxPool(3, 3, Stride = 2)] public partial class M_alexnet_pool5 { }
[Network, Input(1, 1, 4096), FullyConnected(1000)] public partial class M_alexnet_fc3 { }
[Network, Input(64, 64, 3), Conv(3, 3, 64, Padding = 1), Relu] public partial class M_vgg11_conv3to64_64 { }
[Network, Input(32, 32, 64), Conv(3, 3, 128, Padding = 1), Relu] public partial class M_vgg11_conv64to128_32 { }
[Network, Input(16, 16, 128), Conv(3, 3, 256, Padding = 1), Relu] public partial class M_vgg11_conv128to256_16 { }
[Network, Input(16, 16, 256), Conv(3, 3, 256, Padding = 1), Relu] public partial class M_vgg11_conv256to256_16 { }
[Network, Input(8, 8, 256), Conv(3, 3, 512, Padding = 1), Relu] public partial class M_vgg11_conv256to512_8 { }
[Network, Input(8, 8, 512), Conv(3, 3, 512, Padding = 1), Relu] public partial class M_vgg11_conv512to512_8 { }
[Network, Input(4, 4, 512), Conv(3, 3, 512, Padding = 1), Relu] public partial class M_vgg11_conv512to512_4 { }
[Network, Input(64, 64, 64), MaxPool(2, 2, Stride = 2)] public partial class M_vgg11_pool_64x64 { }
[Network, Input(32, 32, 128), MaxPool(2, 2, Stride = 2)] public partial class M_vgg11_pool_32x128 { }
[Network, Input(16, 16, 256), MaxPool(2, 2, Stride = 2)] public partial class M_vgg11_pool_16x256 { }
[Network, Input(8, 8, 512), MaxPool(2, 2, Stride = 2)] public partial class M_vgg11_pool_8x512 { }
[Network, Input(4, 4, 512), MaxPool(2, 2, Stride = 2)] public partial class M_vgg11_pool_4x512 { }
[Network, Input(100, 1, 40), Conv(3, 1, 64, PadLeft = 1, PadRight = 1), Relu] public partial class M_audio_conv3_s1 { }
[Network, Input(100, 1, 40), Conv(3, 1, 64, StrideX = 2, PadLeft = 1, PadRight = 1), Relu] public partial class M_audio_conv3_s2 { }
[Network, Input(100, 1, 40), Conv(5, 1, 64, PadLeft = 2, PadRight = 2), Relu] public partial class M_audio_conv5_s1 { }
[Network, Input(100, 1, 40), Conv(5, 1, 64, StrideX = 2, PadLeft = 2, PadRight = 2), Relu] public partial class M_audio_conv5_s2 { }
[Network, Input(100, 1, 40), Conv(9, 1, 64, PadLeft = 4, PadRight = 4), Relu] public partial class M_audio_conv9_s1 { }
[Network, Input(100, 1, 40), Conv(9, 1, 64, StrideX = 2, PadLeft = 4, PadRight = 4), Relu] public partial class M_audio_conv9_s2 { }
[Network, Input(100, 1, 64), Conv(3, 1, 64, PadLeft = 1, PadRight = 1), Relu] public partial class M_audio_conv3_64to64 { }
[Network, Input(50, 1, 64), Conv(5, 1, 128, StrideX = 2, PadLeft = 2, PadRight = 2), Relu] public partial class M_audio_conv5_s2_64to128 { }
