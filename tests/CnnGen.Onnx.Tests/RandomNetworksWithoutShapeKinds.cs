using System.Runtime.CompilerServices;
using CnnGen.TestSupport;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// The exporter does not write the shape and channel kinds (global pools, Slice, ChannelShuffle, Pad, Upsample) on
/// this branch yet, so the random networks these tests export leave them out. Delete this file once it does.
/// </summary>
internal static class RandomNetworksWithoutShapeKinds
{
#pragma warning disable CA2255 // a test assembly is an application: the one place that sets up its random networks
    [ModuleInitializer]
    internal static void Initialize() => RandomNetworks.DrawShapeKinds = false;
#pragma warning restore CA2255
}
