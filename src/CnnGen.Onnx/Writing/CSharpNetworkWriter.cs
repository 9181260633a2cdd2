using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CnnGen.Geometry;

namespace CnnGen.Onnx;

/// <summary>
/// Renders an <see cref="ImportedNetwork"/> as a C# file declaring it with CnnGen attributes:
/// one attribute per layer (with the ONNX nodes it came from in a comment, and <c>Name</c>/<c>From</c>
/// where the graph needs them), after plain comments on the source model. The class's XML documentation
/// is left to the generator.
/// </summary>
public static class CSharpNetworkWriter
{
    /// <summary>Writes the declaration of <paramref name="className"/> (in <paramref name="ns"/>, or the global namespace when null or empty).</summary>
    /// <param name="network">The imported network.</param>
    /// <param name="className">A valid C# identifier.</param>
    /// <param name="ns">A namespace, or null.</param>
    /// <param name="weightsFileName">The weights file, e.g. <c>LeNet.weights</c>.</param>
    /// <param name="embedWeights">
    /// Declare <c>[Network(Weights = "<paramref name="weightsFileName"/>")]</c>, so the generator embeds the file
    /// (added to the project as <c>AdditionalFiles</c>) and gives the class a parameterless constructor; otherwise <c>[Network]</c>.
    /// </param>
    public static string Write(ImportedNetwork network, string className, string? ns, string weightsFileName, bool embedWeights = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!IsIdentifier(className))
        {
            throw new ArgumentException($"'{className}' is not a valid C# class name.", nameof(className));
        }
        if (!string.IsNullOrEmpty(ns) && !ns.Split('.').All(IsIdentifier))
        {
            throw new ArgumentException($"'{ns}' is not a valid C# namespace.", nameof(ns));
        }
        ModelSummary m = network.Model;
        var b = new StringBuilder();
        void Line(string text = "") => b.Append(text).Append('\n');

        Line($"// Written by `cnngen import` from {Escape(m.Source ?? "an ONNX model")}. Re-run the import rather than editing the layers by hand:");
        Line($"// the weights in {weightsFileName} are laid out for exactly these layers.");
        List<string> inexact = InexactLayers(network.Layers);
        if (inexact.Count > 0)
        {
            Line($"// {string.Join(", ", inexact)}: the stride does not tile the input, so the last rows or columns are never read,");
            Line("// exactly as in the ONNX model. That is intended here, so the generator's warning about it is silenced.");
            Line("#pragma warning disable CNN0012");
        }
        Line("using CnnGen;");
        Line();
        if (!string.IsNullOrEmpty(ns))
        {
            Line($"namespace {ns};");
            Line();
        }

        // Plain comments, not XML docs: the generator documents the class (its <summary> and layer table), and
        // documentation on two parts of a partial class would be merged into one with two summaries.
        string producer = (m.ProducerName + " " + m.ProducerVersion).Trim();
        Line($"// The network of {Escape(m.Source ?? "an ONNX model")}{(m.GraphName.Length > 0 ? $" (graph {Escape(m.GraphName)})" : "")}, imported from ONNX:");
        Line($"// {network.Input.Width}×{network.Input.Height}×{network.Input.Depth} input, {network.Output.Length} outputs, {network.Parameters.Length.ToString("N0", CultureInfo.InvariantCulture)} parameters.");
        Line($"// Source: ONNX opset {m.Opset}, IR version {m.IrVersion}{(producer.Length > 0 ? $", written by {Escape(producer)}" : "")}. Input {Escape(m.InputName)} [N,{network.Input.Depth},{network.Input.Height},{network.Input.Width}] (one item per call, C,H,W order); output {Escape(m.OutputName)} [N,{string.Join(",", m.OutputDimensions)}].");
        Line(embedWeights
            ? $"// Parameters: {Escape(weightsFileName)} (raw little-endian float32 in constructor order), embedded at build time: add <AdditionalFiles Include=\"{Escape(weightsFileName)}\" /> to the project and call new {className}()."
            : $"// Parameters: {Escape(weightsFileName)}, raw little-endian float32 in constructor order: new {className}(NetworkParameters.ReadFile(\"{Escape(weightsFileName)}\", {className}.ParameterCount)).");
        Line();
        var attributes = new List<(string Attribute, string Comment)>
        {
            (embedWeights ? $"[Network(Weights = {Literal(weightsFileName)})]" : "[Network]", ""),
            (Invariant($"[Input({network.Input.Width}, {network.Input.Height}, {network.Input.Depth})]"), $"{network.Input} ← {Escape(m.InputName)}"),
        };
        IReadOnlyList<string> declarations = Attributes(network.Layers);
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerInfo l = network.Layers[i];
            attributes.Add((declarations[i], $"{l.Name}: {l.Input} → {l.Output} ← {Escape(network.Origins[i])}"));
        }
        int width = attributes.Max(a => a.Attribute.Length);
        foreach ((string attribute, string comment) in attributes)
        {
            Line(comment.Length == 0 ? attribute : attribute.PadRight(width) + " // " + comment);
        }
        Line($"public partial class {className}");
        Line("{");
        Line("}");
        return b.ToString();
    }

    /// <summary>
    /// The attributes that declare <paramref name="layers"/> in order, with the graph: <c>Name</c> where a layer's
    /// name is not its default (kind and number), <c>From</c> where it does not read the previous layer, and the
    /// other operands of Add, Mul and Concat. An empty <see cref="LayerInfo.Inputs"/> means the previous layer.
    /// </summary>
    public static IReadOnlyList<string> Attributes(IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var counts = new Dictionary<LayerType, int>();
        var result = new List<string>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            LayerInfo l = layers[i];
            counts.TryGetValue(l.Type, out int n);
            counts[l.Type] = ++n;
            string previous = i == 0 ? OnnxExporter.InputLayer : layers[i - 1].Name;
            IReadOnlyList<string> inputs = l.Inputs.Count > 0 ? l.Inputs : [previous];
            var graph = new List<string>();
            if (l.Name != LayerMath.DefaultName(LayerMath.NamePrefix(l.Type.ToString()), n))
            {
                graph.Add($"Name = {Literal(l.Name)}");
            }
            if (inputs[0] != previous)
            {
                graph.Add($"From = {Literal(inputs[0])}");
            }
            result.Add(Attribute(l, inputs.Skip(1).Select(Literal).ToList(), graph));
        }
        return result;
    }

    /// <summary>The attribute that declares <paramref name="layer"/> on its own (reading the previous layer), in its most compact exact form.</summary>
    public static string Attribute(LayerInfo layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return Attribute(layer, [], []);
    }

    private static string Attribute(LayerInfo layer, List<string> operands, List<string> graph)
    {
        if (layer.Type is LayerType.Add or LayerType.Mul or LayerType.Concat)
        {
            if (operands.Count == 0)
            {
                throw new ArgumentException($"{layer.Name} ({layer.Type}) has no operand besides its input.", nameof(layer));
            }
            return $"[{layer.Type}({string.Join(", ", operands.Concat(graph))})]";
        }
        string text = SingleAttribute(layer);
        if (graph.Count == 0)
        {
            return text;
        }
        // "[Relu]" → "[Relu(Name = …)]"; "[Conv(3, 3, 8)]" → "[Conv(3, 3, 8, Name = …)]".
        string extra = string.Join(", ", graph);
        return text.EndsWith(")]", StringComparison.Ordinal)
            ? text[..^2] + ", " + extra + ")]"
            : text[..^1] + "(" + extra + ")]";
    }

    private static string Literal(string name) => "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string SingleAttribute(LayerInfo layer)
    {
        var named = new List<string>();
        switch (layer.Type)
        {
            case LayerType.Conv:
                Pair(named, "Stride", layer.StrideX, layer.StrideY, 1, 1);
                Padding(named, layer);
                Pair(named, "Dilation", layer.DilationX, layer.DilationY, 1, 1);
                Named(named, "Groups", layer.Groups, 1);
                return Invariant($"[Conv({layer.KernelWidth}, {layer.KernelHeight}, {layer.Output.Depth}{Tail(named)})]");
            case LayerType.MaxPool:
            case LayerType.AvgPool:
                // CnnGen's pool stride defaults to the window (ONNX's to 1): written whenever it differs.
                Pair(named, "Stride", layer.StrideX, layer.StrideY, layer.KernelWidth, layer.KernelHeight);
                Padding(named, layer);
                if (layer.CeilMode)
                {
                    named.Add("CeilMode = true");
                }
                if (layer.ExcludePadding)
                {
                    named.Add("ExcludePadding = true");
                }
                string name = layer.Type == LayerType.MaxPool ? "MaxPool" : "AvgPool";
                return Invariant($"[{name}({layer.KernelWidth}, {layer.KernelHeight}{Tail(named)})]");
            case LayerType.FullyConnected:
                return Invariant($"[FullyConnected({layer.Output.Depth})]");
            case LayerType.Relu or LayerType.Softmax or LayerType.Relu6 or LayerType.Sigmoid or LayerType.Tanh or LayerType.HardSwish
                or LayerType.Silu or LayerType.PRelu or LayerType.LogSoftmax or LayerType.Dropout or LayerType.Flatten
                or LayerType.GlobalAvgPool or LayerType.GlobalMaxPool:
                return $"[{layer.Type}]";
            case LayerType.LeakyRelu:
                return layer.Alpha == 0.01f ? "[LeakyRelu]" : $"[LeakyRelu(Slope = {Float(layer.Alpha)})]";
            case LayerType.Clip:
                return $"[Clip({Float(layer.Alpha)}, {Float(layer.Beta)})]";
            case LayerType.HardSigmoid:
                Named(named, "Alpha", layer.Alpha, 1f / 6f);
                Named(named, "Beta", layer.Beta, 0.5f);
                return named.Count == 0 ? "[HardSigmoid]" : $"[HardSigmoid({string.Join(", ", named)})]";
            case LayerType.Elu:
                return layer.Alpha == 1f ? "[Elu]" : $"[Elu(Alpha = {Float(layer.Alpha)})]";
            case LayerType.Gelu:
                return layer.Approximate ? "[Gelu(Approximate = GeluApproximation.Tanh)]" : "[Gelu]";
            case LayerType.BatchNorm:
                return layer.Epsilon == 1e-5f ? "[BatchNorm]" : $"[BatchNorm(Epsilon = {Float(layer.Epsilon)})]";
            case LayerType.Normalize:
                return $"[Normalize(new float[] {{ {string.Join(", ", layer.Mean.Select(Float))} }}, new float[] {{ {string.Join(", ", layer.Std.Select(Float))} }})]";
            case LayerType.ConvTranspose:
                if (layer.StrideX != layer.StrideY || layer.PadLeft != layer.PadTop || layer.PadLeft != layer.PadRight || layer.PadTop != layer.PadBottom || layer.OutputPaddingX != layer.OutputPaddingY)
                {
                    throw new ArgumentException($"{layer.Name}: [ConvTranspose] takes one stride, padding and output padding for both axes.", nameof(layer));
                }
                Named(named, "Stride", layer.StrideX, 1);
                Named(named, "Padding", layer.PadLeft, 0);
                Named(named, "OutputPadding", layer.OutputPaddingX, 0);
                return Invariant($"[ConvTranspose({layer.KernelWidth}, {layer.KernelHeight}, {layer.Output.Depth}{Tail(named)})]");
            case LayerType.Upsample:
                if (layer.ScaleY != layer.ScaleX)
                {
                    named.Add(Invariant($"ScaleY = {layer.ScaleY}"));
                }
                if (layer.Bilinear)
                {
                    named.Add("Mode = UpsampleMode.Bilinear");
                }
                if (layer.AlignCorners)
                {
                    named.Add("AlignCorners = true");
                }
                return Invariant($"[Upsample({layer.ScaleX}{Tail(named)})]");
            case LayerType.Pad:
                if (layer.PadLeft == layer.PadTop && layer.PadTop == layer.PadRight && layer.PadRight == layer.PadBottom)
                {
                    return Invariant($"[Pad({layer.PadLeft})]");
                }
                Padding(named, layer);
                return $"[Pad(0{Tail(named)})]";
            case LayerType.Slice:
                return Invariant($"[Slice({layer.Start}, {layer.Output.Depth})]");
            case LayerType.ChannelShuffle:
                return Invariant($"[ChannelShuffle({layer.Groups})]");
            case LayerType.Add or LayerType.Mul or LayerType.Concat:
                throw new ArgumentException($"{layer.Name} ({layer.Type}) needs its operands: use Attributes(layers).", nameof(layer));
            default:
                throw new ArgumentException($"Unknown layer type {layer.Type}.", nameof(layer));
        }
    }

    private static void Named(List<string> named, string name, int value, int fallback)
    {
        if (value != fallback)
        {
            named.Add(Invariant($"{name} = {value}"));
        }
    }

    private static void Named(List<string> named, string name, float value, float fallback)
    {
        if (value != fallback)
        {
            named.Add($"{name} = {Float(value)}");
        }
    }

    /// <summary>A C# float literal that reads back as exactly <paramref name="value"/>: <c>0.1f</c>, <c>float.PositiveInfinity</c>.</summary>
    private static string Float(float value) =>
        float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
        : float.IsNaN(value) ? "float.NaN"
        : value.ToString("R", CultureInfo.InvariantCulture) + "f";

    private static string Tail(List<string> named) => named.Count == 0 ? "" : ", " + string.Join(", ", named);

    private static void Pair(List<string> named, string name, int x, int y, int defaultX, int defaultY)
    {
        if (x == defaultX && y == defaultY)
        {
            return;
        }
        if (x == y)
        {
            named.Add(Invariant($"{name} = {x}"));
        }
        else
        {
            named.Add(Invariant($"{name}X = {x}"));
            named.Add(Invariant($"{name}Y = {y}"));
        }
    }

    private static void Padding(List<string> named, LayerInfo l)
    {
        if (l.PadLeft == l.PadTop && l.PadTop == l.PadRight && l.PadRight == l.PadBottom)
        {
            if (l.PadLeft != 0)
            {
                named.Add(Invariant($"Padding = {l.PadLeft}"));
            }
            return;
        }
        foreach ((string side, int value) in new[] { ("PadLeft", l.PadLeft), ("PadTop", l.PadTop), ("PadRight", l.PadRight), ("PadBottom", l.PadBottom) })
        {
            if (value != 0)
            {
                named.Add(Invariant($"{side} = {value}"));
            }
        }
    }

    /// <summary>Names of layers whose stride leaves input rows or columns unread (what the generator warns about with CNN0012).</summary>
    private static List<string> InexactLayers(IReadOnlyList<LayerInfo> layers)
    {
        var names = new List<string>();
        foreach (LayerInfo l in layers)
        {
            if (l.Type is not (LayerType.Conv or LayerType.MaxPool or LayerType.AvgPool) || l.CeilMode)
            {
                continue;
            }
            if (LayerMath.UnreadTail(l.Input.Width, l.KernelWidth, l.StrideX, l.PadLeft, l.PadRight, l.DilationX) != 0
                || LayerMath.UnreadTail(l.Input.Height, l.KernelHeight, l.StrideY, l.PadTop, l.PadBottom, l.DilationY) != 0)
            {
                names.Add(l.Name);
            }
        }
        return names;
    }

    /// <summary>A C# identifier made from a file name: <c>lenet-5.onnx</c> → <c>Lenet5</c>.</summary>
    public static string ClassNameFrom(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        string stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
        var b = new StringBuilder();
        bool upper = true;
        foreach (char c in stem)
        {
            if (char.IsLetterOrDigit(c) && c < 128)
            {
                b.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        if (b.Length == 0 || char.IsDigit(b[0]))
        {
            b.Insert(0, "Net");
        }
        return b.ToString();
    }

    /// <summary>Whether <paramref name="name"/> is a plain C# identifier (ASCII letters, digits, underscores; not a keyword).</summary>
    public static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name)
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !Keywords.Contains(name);

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keeps a comment on one line.</summary>
    private static string Escape(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
