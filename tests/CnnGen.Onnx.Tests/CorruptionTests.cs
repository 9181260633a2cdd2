using System;
using System.IO;
using System.Linq;
using CnnGen.Onnx.Protos;
using Google.Protobuf;
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

    /// <summary>
    /// Structural damage to graph models (what byte flips rarely reach past the protobuf parser): a node loses, swaps or
    /// gains an input, an attribute changes value, a node disappears or changes operator, a constant changes value, an initializer changes shape.
    /// Each damaged model imports or fails with <see cref="OnnxImportException"/>, nothing else.
    /// </summary>
    [Theory]
    [InlineData("shufflenet_v2_x0_5_96x112")]
    [InlineData("mobilenet_v3_small_64x64")]
    [InlineData("unet_64x64")]
    [InlineData("efficientnet_b0_96x112")]
    public void DamagedGraphsNeverEscapeAsOtherExceptions(string fixture)
    {
        ModelProto original = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Paths.RepositoryRoot, "tests", "CnnGen.Onnx.Tests", "Models", fixture + ".onnx")));
        string[] ops = ["Relu", "Add", "Mul", "Concat", "Reshape", "Slice", "Transpose", "Gather", "Shape", "Conv", "Resize", "Pad", "Split", "Sigmoid", "Clip", "GlobalAveragePool", "Flatten", "Unsqueeze", "Div", "Erf"];
        var random = new Random(fixture.Length * 7919);
        int rejected = 0;
        var escaped = new System.Collections.Generic.List<string>();
        for (int trial = 0; trial < 300; trial++)
        {
            ModelProto model = original.Clone();
            GraphProto g = model.Graph;
            string[] tensors = g.Node.SelectMany(n => n.Output).Concat(g.Initializer.Select(i => i.Name)).ToArray();
            for (int k = 0; k < 1 + trial % 3; k++)
            {
                NodeProto node = g.Node[random.Next(g.Node.Count)];
                switch (random.Next(8))
                {
                    case 7 when node.Attribute.FirstOrDefault(a => a.T is not null) is { } value:
                        // A constant (a shape, an index, pads, scales) takes other values.
                        byte[] raw = value.T.RawData.ToByteArray();
                        for (int b = 0; b < raw.Length; b += value.T.DataType == 7 ? 8 : 4)
                        {
                            byte[] v = value.T.DataType == 7 ? BitConverter.GetBytes((long)random.Next(-3, 10)) : BitConverter.GetBytes((float)random.Next(-3, 10));
                            Array.Copy(v, 0, raw, b, Math.Min(v.Length, raw.Length - b));
                        }
                        value.T.RawData = ByteString.CopyFrom(raw);
                        break;
                    case 0 when node.Input.Count > 0:
                        node.Input.RemoveAt(random.Next(node.Input.Count));
                        break;
                    case 1 when node.Input.Count > 0:
                        node.Input[random.Next(node.Input.Count)] = tensors[random.Next(tensors.Length)];
                        break;
                    case 2:
                        node.Input.Add(tensors[random.Next(tensors.Length)]);
                        break;
                    case 3 when node.Attribute.Count > 0:
                        AttributeProto a = node.Attribute[random.Next(node.Attribute.Count)];
                        a.I = random.Next(-3, 10);
                        a.F = (float)(random.NextDouble() * 8 - 4);
                        if (a.Ints.Count > 0)
                        {
                            a.Ints[random.Next(a.Ints.Count)] = random.Next(-3, 10);
                        }
                        break;
                    case 4:
                        g.Node.Remove(node);
                        break;
                    case 5:
                        node.OpType = ops[random.Next(ops.Length)];
                        break;
                    default:
                        TensorProto t = g.Initializer[random.Next(g.Initializer.Count)];
                        if (t.Dims.Count > 0)
                        {
                            t.Dims[random.Next(t.Dims.Count)] = random.Next(0, 5);
                        }
                        break;
                }
            }
            try
            {
                OnnxImporter.Import(model.ToByteArray());
            }
            catch (OnnxImportException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                rejected++;
            }
            catch (Exception e)
            {
                escaped.Add($"trial {trial}: {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
            }
        }
        Assert.True(escaped.Count == 0, $"{fixture}: {escaped.Count} of 300:\n{string.Join("\n", escaped.Take(8))}");
        Assert.True(rejected > 100, $"only {rejected} of 300 damaged models were rejected");
    }
}
