using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;

namespace CnnGen.Onnx.Tests;

/// <summary>Turns imported networks into running generated code through the shared generator harness.</summary>
internal static class GeneratedCode
{
    public const string Namespace = "Imported";

    /// <summary>Writes each network as C# with <see cref="CSharpNetworkWriter"/>, generates, compiles and loads them all at once.</summary>
    public static CompiledNetworks Compile(IReadOnlyList<(ImportedNetwork Network, string ClassName)> networks) =>
        GeneratorHarness.Compile(
            networks.Select(n => CSharpNetworkWriter.Write(n.Network, n.ClassName, Namespace, n.ClassName + ".weights")),
            networks.Select(n => Namespace + "." + n.ClassName));

    public static INetwork Create(CompiledNetworks compiled, ImportedNetwork network, string className) =>
        compiled.Create(Namespace + "." + className, network.Parameters);

    public static float[] Forward(INetwork network, float[] input)
    {
        var output = new float[network.OutputLength];
        network.Forward(input, output);
        return output;
    }
}
