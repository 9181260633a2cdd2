using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.Tool.Diagram;

/// <summary>Where one volume's 3-D box sits: front face (x, y, w, h) and the oblique offset of its W axis.</summary>
internal readonly record struct Box(double X, double Y, double W, double H, double Depth)
{
    public double Right => X + W + Depth;

    public double CenterX => X + (W + Depth) / 2;

    /// <summary>A point on the right (spatial, W×H) face: u along W (0 front … 1 back), v along H (0 top … 1 bottom).</summary>
    public (double X, double Y) OnSide(double u, double v) => (X + W + u * Depth, Y - u * Depth + v * H);
}

/// <summary>The text under the gap before a box: layer names, what the layer does, its counts.</summary>
internal sealed record OperationLabel(string Title, IReadOnlyList<string> Details);

/// <summary>A node placed on the page.</summary>
internal sealed record PlacedNode(DiagramNode Node, int Row, Box Box, double GapLeft, OperationLabel Label, string ShapeLabel);

/// <summary>An edge from a node that is not the one drawn just before: an arc above the row(s).</summary>
internal sealed record SkipEdge(int From, int To, int Level);

/// <summary>
/// Lays a <see cref="DiagramGraph"/> out left to right the way CNN courses draw networks: each
/// activation volume a box (height from H, thickness from D, slant from W, on square-root and log
/// scales so that 224×224×3 and 7×7×512 both stay readable), the operation that makes it in the gap
/// before it, edges from non-adjacent nodes as arcs above; rows wrap at <see cref="MaxRowWidth"/>,
/// preferably where no arc is cut.
/// </summary>
internal sealed class DiagramLayout
{
    public const double MaxRowWidth = 1180;
    public const double Margin = 24;
    public const double TitleHeight = 34;
    public const double TitleSize = 15, NameSize = 12, TextSize = 11;
    public const double ArcLevelHeight = 16;
    private const double MinGap = 64;

    private DiagramLayout(DiagramGraph graph, IReadOnlyList<PlacedNode> nodes, IReadOnlyList<SkipEdge> skips, IReadOnlyList<double> rowMid, double width, double height, double maxBoxHeight, IReadOnlyList<int> rowLevels)
    {
        Graph = graph;
        Nodes = nodes;
        Skips = skips;
        RowMid = rowMid;
        Width = width;
        Height = height;
        MaxBoxHeight = maxBoxHeight;
        RowLevels = rowLevels;
    }

    public DiagramGraph Graph { get; }

    public IReadOnlyList<PlacedNode> Nodes { get; }

    public IReadOnlyList<SkipEdge> Skips { get; }

    /// <summary>The y of each row's middle line (boxes are centred on it).</summary>
    public IReadOnlyList<double> RowMid { get; }

    /// <summary>Arc levels used in each row.</summary>
    public IReadOnlyList<int> RowLevels { get; }

    public double Width { get; }

    public double Height { get; }

    public double MaxBoxHeight { get; }

    /// <summary>Approximate width of a line of text in DejaVu Sans/Arial (average advance about 0.56 em).</summary>
    public static double TextWidth(string text, double size) => text.Length * size * 0.56;

    public static DiagramLayout Build(DiagramGraph graph)
    {
        IReadOnlyList<DiagramNode> nodes = graph.Nodes;
        var sizes = nodes.Select(n => BoxSize(n.Output)).ToArray();
        var labels = nodes.Select(Label).ToArray();
        var shapes = nodes.Select(n => n.Output.ToString()).ToArray();
        double maxH = sizes.Max(s => s.H + s.Depth);

        // Width of each column: the gap holding the operation's text, then the box.
        var gaps = new double[nodes.Count];
        var columns = new double[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            double text = Math.Max(TextWidth(labels[i].Title, NameSize), labels[i].Details.Select(d => TextWidth(d, TextSize)).DefaultIfEmpty(0).Max());
            gaps[i] = i == 0 ? 0 : Math.Max(MinGap, text + 18);
            double box = sizes[i].W + sizes[i].Depth;
            double shape = TextWidth(shapes[i], TextSize) + 8;
            columns[i] = gaps[i] + Math.Max(box, shape);
            if (i == 0)
            {
                columns[i] = Math.Max(columns[i], TextWidth("Input", NameSize));
            }
        }

        // Skip edges: every input that is not the node drawn just before.
        var skipPairs = new List<(int From, int To)>();
        foreach (DiagramNode n in nodes)
        {
            foreach (int from in n.Inputs.Distinct())
            {
                if (from != n.Index - 1)
                {
                    skipPairs.Add((from, n.Index));
                }
            }
        }

        // Rows: fill up to the width, break at the last column boundary no arc spans when there is one.
        // Balanced: as many rows as the width needs, each about the same width (no orphan at the end).
        double available = MaxRowWidth - 2 * Margin, total = columns.Sum();
        double target = Math.Min(available, total / Math.Ceiling(total / available) * 1.1);
        var rowOf = new int[nodes.Count];
        int row = 0, start = 0;
        double used = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (i > start && used + columns[i] > target)
            {
                int cut = i;
                for (int c = i; c > start + 1; c--)
                {
                    if (!skipPairs.Any(e => e.From < c && e.To >= c))
                    {
                        cut = c;
                        break;
                    }
                }
                row++;
                for (int j = cut; j < i; j++)
                {
                    rowOf[j] = row;
                }
                start = cut;
                used = Enumerable.Range(cut, i - cut).Sum(j => columns[j]);
            }
            rowOf[i] = row;
            used += columns[i];
        }
        int rows = row + 1;

        // Arc levels: shorter arcs lower; arcs that overlap in a row get different levels.
        var skips = new List<SkipEdge>();
        foreach ((int from, int to) in skipPairs.OrderBy(e => e.To - e.From).ThenBy(e => e.From))
        {
            int level = 0;
            while (skips.Any(s => s.Level == level && s.From < to && from < s.To && (rowOf[s.From] == rowOf[from] || rowOf[s.To] == rowOf[to])))
            {
                level++;
            }
            skips.Add(new SkipEdge(from, to, level));
        }
        var rowLevels = new int[rows];
        foreach (SkipEdge s in skips)
        {
            for (int r = rowOf[s.From]; r <= rowOf[s.To]; r++)
            {
                rowLevels[r] = Math.Max(rowLevels[r], s.Level + 1);
            }
        }

        // Vertical: title, then per row the arcs, the shape labels, the boxes, the operation text.
        int maxDetails = labels.Max(l => l.Details.Count);
        double textBlock = 14 + 16 + maxDetails * 14 + 10;
        var rowMid = new double[rows];
        double y = Margin + TitleHeight;
        for (int r = 0; r < rows; r++)
        {
            y += rowLevels[r] * ArcLevelHeight + (rowLevels[r] > 0 ? 10 : 0) + 20;
            rowMid[r] = y + maxH / 2;
            y += maxH + textBlock;
        }
        double height = y + Margin - 10;

        var placed = new List<PlacedNode>();
        double x = Margin, width = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (i > 0 && rowOf[i] != rowOf[i - 1])
            {
                x = Margin;
            }
            double gapLeft = x;
            (double w, double h, double depth) = sizes[i];
            double boxArea = columns[i] - gaps[i];
            double bx = x + gaps[i] + (boxArea - (w + depth)) / 2;
            double mid = rowMid[rowOf[i]];
            var box = new Box(bx, mid - h / 2 + depth / 2, w, h, depth);
            placed.Add(new PlacedNode(nodes[i], rowOf[i], box, gapLeft, labels[i], shapes[i]));
            x += columns[i];
            width = Math.Max(width, x);
        }
        return new DiagramLayout(graph, placed, skips, rowMid, width + Margin, height, maxH, rowLevels);
    }

    /// <summary>Front-face width (from depth), height (from H) and the W slant of a volume, in pixels.</summary>
    private static (double W, double H, double Depth) BoxSize(Shape s)
    {
        if (s.Width == 1 && s.Height == 1)
        {
            // A vector (fully connected output): a thin column as tall as its length warrants.
            return (8, Math.Min(150, 14 + 5 * Math.Sqrt(s.Depth)), 5);
        }
        double h = Math.Min(150, 10 + 8 * Math.Sqrt(s.Height));
        double w = Math.Min(70, 4 + 5 * Math.Log2(s.Depth + 1));
        double depth = Math.Min(60, 4 + 3.2 * Math.Sqrt(s.Width));
        return (w, h, depth);
    }

    private static OperationLabel Label(DiagramNode node)
    {
        LayerInfo? l = node.Main;
        if (l is null)
        {
            return new OperationLabel("Input", Array.Empty<string>());
        }
        var details = new List<string>();
        string activations = string.Concat(node.Layers.Skip(1).Select(a => " + " + ShortName(a.Type)));
        switch (l.Type)
        {
            case LayerType.Conv:
                string conv = l.Groups == 1 ? "conv" : l.Groups == l.Input.Depth ? "depthwise conv" : $"grouped conv ({l.Groups} groups)";
                details.Add($"{conv} {l.KernelWidth}×{l.KernelHeight}, {l.Output.Depth} filters");
                details.Add(Geometry(l, dilation: true));
                break;
            case LayerType.ConvTranspose:
                details.Add($"transposed conv {l.KernelWidth}×{l.KernelHeight}, {l.Output.Depth} filters");
                details.Add(Geometry(l, dilation: false));
                break;
            case LayerType.MaxPool:
            case LayerType.AvgPool:
                details.Add($"{(l.Type == LayerType.MaxPool ? "max" : "avg")} pool {l.KernelWidth}×{l.KernelHeight}");
                details.Add(Geometry(l, dilation: false));
                break;
            case LayerType.GlobalAvgPool:
            case LayerType.GlobalMaxPool:
                details.Add($"global {(l.Type == LayerType.GlobalMaxPool ? "max" : "avg")} pool");
                break;
            case LayerType.FullyConnected:
                details.Add($"fully connected {l.Input.Length.ToString("N0", CultureInfo.InvariantCulture)} → {l.Output.Length.ToString("N0", CultureInfo.InvariantCulture)}");
                break;
            case LayerType.Add:
                details.Add($"sum of {node.Inputs.Count}{activations}");
                break;
            case LayerType.Mul:
                details.Add($"product of {node.Inputs.Count}{activations}");
                break;
            case LayerType.Concat:
                details.Add($"concat of {node.Inputs.Count} (channels){activations}");
                break;
            case LayerType.Upsample:
                details.Add($"{(l.Bilinear ? "bilinear" : "nearest")} upsample ×{l.ScaleX}{(l.ScaleX == l.ScaleY ? "" : "×" + l.ScaleY)}");
                break;
            case LayerType.Pad:
                details.Add($"zero pad {l.PadLeft},{l.PadTop},{l.PadRight},{l.PadBottom}");
                break;
            case LayerType.Slice:
                details.Add($"channels {l.Start}–{l.Start + l.Output.Depth - 1}");
                break;
            case LayerType.ChannelShuffle:
                details.Add($"channel shuffle, {l.Groups} groups");
                break;
            default:
                // Element-wise and per-channel layers that stand on their own (their producer has other readers).
                details.Add(ShortName(l.Type) + activations);
                break;
        }
        long parameters = node.Layers.Sum(a => (long)a.ParameterCount);
        long macs = node.Layers.Sum(a => a.MultiplyAdds);
        if (parameters > 0)
        {
            details.Add($"{parameters.ToString("N0", CultureInfo.InvariantCulture)} params");
        }
        if (macs > 0)
        {
            details.Add($"{macs.ToString("N0", CultureInfo.InvariantCulture)} MACs");
        }
        return new OperationLabel(node.Title, details);
    }

    /// <summary>Layers drawn inside the box of the layer before them (when they are its only reader): they keep its shape.</summary>
    public static bool FoldsIntoProducer(LayerType type) => type is LayerType.Relu or LayerType.Relu6 or LayerType.LeakyRelu
        or LayerType.Clip or LayerType.Sigmoid or LayerType.Tanh or LayerType.HardSigmoid or LayerType.HardSwish
        or LayerType.Silu or LayerType.Gelu or LayerType.Elu or LayerType.PRelu or LayerType.BatchNorm
        or LayerType.Dropout or LayerType.Flatten or LayerType.Softmax or LayerType.LogSoftmax;

    /// <summary>How a label names a layer type in a few characters (<c>ReLU</c>, <c>batch norm</c>).</summary>
    public static string ShortName(LayerType type) => type switch
    {
        LayerType.Relu => "ReLU",
        LayerType.Relu6 => "ReLU6",
        LayerType.LeakyRelu => "leaky ReLU",
        LayerType.Clip => "clip",
        LayerType.Sigmoid => "sigmoid",
        LayerType.Tanh => "tanh",
        LayerType.HardSigmoid => "hard sigmoid",
        LayerType.HardSwish => "hard swish",
        LayerType.Silu => "SiLU",
        LayerType.Gelu => "GELU",
        LayerType.Elu => "ELU",
        LayerType.PRelu => "PReLU",
        LayerType.BatchNorm => "batch norm",
        LayerType.Normalize => "normalize",
        LayerType.Dropout => "dropout",
        LayerType.Flatten => "flatten",
        LayerType.Softmax => "softmax",
        LayerType.LogSoftmax => "log-softmax",
        _ => type.ToString(),
    };

    private static string Geometry(LayerInfo l, bool dilation)
    {
        string stride = l.StrideX == l.StrideY ? $"stride {l.StrideX}" : $"stride {l.StrideX}×{l.StrideY}";
        string pad = (l.PadLeft, l.PadTop, l.PadRight, l.PadBottom) switch
        {
            (0, 0, 0, 0) => "",
            var (a, b, c, d) when a == b && b == c && c == d => $", pad {a}",
            var (a, b, c, d) => $", pad {a},{b},{c},{d}",
        };
        string dil = dilation && (l.DilationX != 1 || l.DilationY != 1) ? $", dilation {l.DilationX}" : "";
        return stride + pad + dil + (l.CeilMode ? ", ceil" : "");
    }
}
