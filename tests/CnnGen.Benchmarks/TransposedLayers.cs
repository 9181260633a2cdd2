using CnnGen;

namespace CnnGen.Benchmarks.Networks;

#pragma warning disable CS1591

// Transposed convolutions as single-layer networks (the `transposed` mode, --filter '*Transposed*'): the decoder
// steps of U-Net-style and generator networks, which the layer matrix's eight classifiers do not have.
[Network, Input(32, 32, 128), ConvTranspose(2, 2, 64, Stride = 2)] public partial class T0 { }
[Network, Input(28, 28, 64), ConvTranspose(3, 3, 32, Stride = 2, Padding = 1, OutputPadding = 1)] public partial class T1 { }
[Network, Input(16, 16, 256), ConvTranspose(4, 4, 128, Stride = 2, Padding = 1)] public partial class T2 { }
[Network, Input(28, 28, 64), ConvTranspose(3, 3, 32, Padding = 1)] public partial class T3 { }
[Network, Input(16, 16, 21), ConvTranspose(16, 16, 21, Stride = 8, Padding = 4)] public partial class T4 { }

/// <summary>The transposed convolutions' rows: display name and a factory of the generated network.</summary>
public static class TransposedLayers
{
    public static readonly (string Id, System.Collections.Generic.IReadOnlyList<LayerInfo> Layers, int ParameterCount, System.Func<float[], INetwork> Create)[] Rows =
    [
        ("unet/up 2x2 s2 128to64 on 32x32", T0.Layers, T0.ParameterCount, p => new T0(p)),
        ("deconv/3x3 s2 p1 op1 64to32 on 28x28", T1.Layers, T1.ParameterCount, p => new T1(p)),
        ("dcgan/4x4 s2 p1 256to128 on 16x16", T2.Layers, T2.ParameterCount, p => new T2(p)),
        ("deconv/3x3 s1 p1 64to32 on 28x28", T3.Layers, T3.ParameterCount, p => new T3(p)),
        ("fcn8s/up 16x16 s8 21to21 on 16x16", T4.Layers, T4.ParameterCount, p => new T4(p)),
    ];
}
