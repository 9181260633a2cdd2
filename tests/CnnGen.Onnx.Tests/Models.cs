using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Onnx.Protos;
using Google.Protobuf;

namespace CnnGen.Onnx.Tests;

/// <summary>Builds small ONNX models in the tests with the protobuf classes.</summary>
internal sealed class ModelBuilder
{
    private readonly ModelProto _model;
    private int _counter;

    public ModelBuilder(long[] inputShape, int opset = 13, string inputName = "x")
    {
        _model = new ModelProto { IrVersion = 7, ProducerName = "tests", Graph = new GraphProto { Name = "test" } };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        _model.Graph.Input.Add(ValueInfo(inputName, inputShape));
        Current = inputName;
    }

    public string Current { get; private set; }

    public ModelProto Model => _model;

    public GraphProto Graph => _model.Graph;

    public static ValueInfoProto ValueInfo(string name, long[] shape, int elemType = 1)
    {
        var s = new TensorShapeProto();
        foreach (long d in shape)
        {
            s.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = s } } };
    }

    public static TensorProto Floats(string name, long[] dims, float[] values, bool raw = true)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        if (raw)
        {
            byte[] bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            t.RawData = ByteString.CopyFrom(bytes);
        }
        else
        {
            t.FloatData.AddRange(values);
        }
        return t;
    }

    public static TensorProto Int64s(string name, long[] values)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        return t;
    }

    public static float[] Values(int seed, int count)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    public string Initializer(TensorProto tensor)
    {
        _model.Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Initializer(string name, long[] dims, float[] values, bool raw = true) => Initializer(Floats(name, dims, values, raw));

    /// <summary>Adds a node reading the current value (and <paramref name="more"/> inputs); its output becomes current.</summary>
    public NodeProto Add(string op, string[]? more = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() + _counter++ };
        node.Input.Add(Current);
        node.Input.AddRange(more ?? []);
        node.Output.Add(node.Name + "_out");
        node.Attribute.AddRange(attributes);
        _model.Graph.Node.Add(node);
        Current = node.Output[0];
        return node;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Declares the current value as the graph output (shape unknown) and returns the model.</summary>
    public ModelProto Finish()
    {
        if (_model.Graph.Output.Count == 0)
        {
            _model.Graph.Output.Add(new ValueInfoProto { Name = Current });
        }
        return _model;
    }

    public byte[] Bytes() => Finish().ToByteArray();
}

/// <summary>Finds the repository root and ../shared.</summary>
internal static class Paths
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CnnGen.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("CnnGen.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The shared folder beside the repository; fails (never skips) when it is missing.</summary>
    public static string Shared(params string[] parts)
    {
        string path = Path.GetFullPath(Path.Combine([RepositoryRoot, "..", "shared", .. parts]));
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing. These tests read the project's shared material from ../shared beside the repository root ({RepositoryRoot}); check it out there.");
        }
        return path;
    }
}

/// <summary>Float comparison with the project's tolerance.</summary>
internal static class Tolerance
{
    public const double Relative = 1e-4;
    public const double Absolute = 1e-5;

    public static bool Close(double actual, double expected, double referenceRounding = 0) =>
        actual.Equals(expected) || Math.Abs(actual - expected) <= Absolute + referenceRounding + Relative * Math.Abs(expected);

    /// <summary>Null when they agree, else a description of the first disagreement.</summary>
    public static string? Compare(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double referenceRounding = 0)
    {
        if (actual.Length != expected.Length)
        {
            return $"lengths differ: {actual.Length} vs {expected.Length}";
        }
        int bad = 0, first = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            if (!Close(actual[i], expected[i], referenceRounding))
            {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        return bad == 0 ? null : $"{bad} of {actual.Length} values differ; first at [{first}]: {actual[first]:R} vs expected {expected[first]:R}";
    }
}

/// <summary>What import(export(layers)) gives back.</summary>
internal static class RoundTrip
{
    /// <summary>The layers, with each pool's <c>CeilMode</c> as the exporter writes it (only where it changes the output; see OnnxExporter's remarks).</summary>
    public static List<LayerInfo> Expected(IReadOnlyList<LayerInfo> layers) =>
        layers.Select(l => l.Type is LayerType.MaxPool or LayerType.AvgPool ? l with { CeilMode = OnnxExporter.WriteCeilMode(l, OnnxExporter.OpsetFor(layers)) } : l).ToList();
}
