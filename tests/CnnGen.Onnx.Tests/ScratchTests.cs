using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Onnx.Tests;

public class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public void Dump()
    {
        foreach (string f in Directory.GetFiles(Path.Combine(Paths.RepositoryRoot, "tests", "CnnGen.Onnx.Tests", "Models"), "*.onnx").OrderBy(x => x))
        {
            try
            {
                var n = OnnxImporter.ImportFile(f);
                output.WriteLine($"== {Path.GetFileName(f)}: {n.Layers.Count} layers, {n.Parameters.Length} params, out {n.Output}");
                output.WriteLine(string.Join("\n", CSharpNetworkWriter.Attributes(n.Layers).Select((a, i) => $"{a}   // {n.Layers[i].Name} {n.Layers[i].Input}->{n.Layers[i].Output} <- {n.Origins[i]}")));
            }
            catch (Exception e)
            {
                output.WriteLine($"== {Path.GetFileName(f)}: {e.GetType().Name} {e.Message}");
            }
        }
    }
}
