using System;
using System.IO;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>Damaged copies of a real model: the importer either imports them or throws <see cref="OnnxImportException"/>, nothing else.</summary>
public class CorruptionTests
{
    [Fact]
    public void FlippedBytesAndTruncationsNeverEscapeAsOtherExceptions()
    {
        byte[] original = File.ReadAllBytes(Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.onnx"));
        var random = new Random(20240601);
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] bytes = trial % 4 == 0
                ? original.AsSpan(0, random.Next(original.Length)).ToArray()
                : (byte[])original.Clone();
            if (trial % 4 != 0)
            {
                // Damage the structure near the start (where the graph and its nodes are), not just weight bytes.
                for (int k = 0; k < 1 + trial % 5; k++)
                {
                    int at = random.Next(Math.Min(bytes.Length, trial % 2 == 0 ? 2048 : bytes.Length));
                    bytes[at] = (byte)random.Next(256);
                }
            }
            try
            {
                OnnxImporter.Import(bytes);
            }
            catch (OnnxImportException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"trial {trial}: {e.GetType().Name} escaped: {e.Message}");
            }
        }
        Assert.True(rejected > 100, $"only {rejected} of 400 damaged models were rejected");
    }
}
