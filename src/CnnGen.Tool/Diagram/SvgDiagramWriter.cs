using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;

namespace CnnGen.Tool.Diagram;

/// <summary>
/// Writes a <see cref="DiagramLayout"/> as a self-contained SVG (no fonts, images or styles from
/// elsewhere): 3-D boxes for volumes, each conv/pool window on the volume it reads with lines to the
/// volume it writes, arrows between neighbours, arcs for skip edges, a legend line of totals.
/// </summary>
internal static class SvgDiagramWriter
{
    private const string Font = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

    // Fill colours per kind of volume: front, top, side.
    private static readonly Dictionary<string, (string Front, string Top, string Side)> Colors = new()
    {
        ["input"] = ("#d9d9d9", "#efefef", "#b8b8b8"),
        ["conv"] = ("#7fb8e0", "#b7d9f0", "#5b97c2"),
        ["pool"] = ("#f2c46d", "#f8dca5", "#d9a441"),
        ["fc"] = ("#9ad48c", "#c6e8bd", "#74b565"),
        ["merge"] = ("#d3a6e0", "#e8cdf0", "#b07fc0"),
        ["other"] = ("#c9c9e8", "#e3e3f4", "#a6a6cf"),
    };

    public static string Write(DiagramLayout layout)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(layout.Width)}\" height=\"{N(layout.Height)}\" viewBox=\"0 0 {N(layout.Width)} {N(layout.Height)}\" font-family=\"{Font}\">\n");
        s.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker></defs>\n");
        s.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");

        DiagramGraph g = layout.Graph;
        string totals = $"{g.Nodes.Sum(n => n.Layers.Count)} layers · {g.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters · {g.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture)} multiply-adds";
        Text(s, DiagramLayout.Margin, DiagramLayout.Margin + 14, g.Title, DiagramLayout.TitleSize, "start", bold: true);
        Text(s, DiagramLayout.Margin + DiagramLayout.TextWidth(g.Title, DiagramLayout.TitleSize) + 14, DiagramLayout.Margin + 14, totals, DiagramLayout.TextSize + 1, "start", fill: "#555");

        IReadOnlyList<PlacedNode> nodes = layout.Nodes;
        for (int i = 0; i < nodes.Count; i++)
        {
            PlacedNode p = nodes[i];
            double mid = layout.RowMid[p.Row];
            double boxesTop = mid - layout.MaxBoxHeight / 2;
            double boxesBottom = mid + layout.MaxBoxHeight / 2;
            s.Append(CultureInfo.InvariantCulture, $"<g class=\"layer\" id=\"{Escape(p.Node.Layers.Count == 0 ? "Input" : p.Node.Layers[0].Name)}\">\n");

            // Incoming edge from the node drawn just before (in this row, or wrapped from the last).
            bool fromPrevious = p.Node.Inputs.Contains(i - 1);
            if (fromPrevious)
            {
                PlacedNode prev = nodes[i - 1];
                LayerInfo l = p.Node.Main!;
                if (prev.Row == p.Row && l.Type is LayerType.Conv or LayerType.MaxPool or LayerType.AvgPool)
                {
                    Window(s, prev, p, l);
                }
                else
                {
                    double startX = prev.Row == p.Row ? prev.Box.Right + 4 : p.GapLeft;
                    if (prev.Row != p.Row)
                    {
                        // Wrapped: the arrow leaves the end of the previous row and enters this one.
                        double prevMid = layout.RowMid[prev.Row];
                        Line(s, prev.Box.Right + 4, prevMid, prev.Box.Right + 26, prevMid, "#444", arrow: true);
                    }
                    Line(s, startX, mid, p.Box.X - 4, mid, "#444", arrow: true);
                }
            }

            Cuboid(s, p.Box, Kind(p.Node.Main));
            Text(s, p.Box.CenterX, boxesTop - 6, p.ShapeLabel, DiagramLayout.TextSize, "middle", fill: "#333");

            // The operation: under the gap before the box (under the box for the input).
            double cx = i == 0 ? p.Box.CenterX : p.GapLeft + (p.Box.X - p.GapLeft) / 2;
            double ty = boxesBottom + 22;
            Text(s, cx, ty, p.Label.Title, DiagramLayout.NameSize, "middle", bold: true);
            foreach (string line in p.Label.Details)
            {
                ty += 14;
                Text(s, cx, ty, line, DiagramLayout.TextSize, "middle", fill: "#333");
            }
            s.Append("</g>\n");
        }

        foreach (SkipEdge e in layout.Skips)
        {
            Arc(s, layout, nodes[e.From], nodes[e.To], e.Level);
        }
        s.Append("</svg>\n");
        return s.ToString();
    }

    private static string Kind(LayerInfo? l) => l?.Type switch
    {
        null => "input",
        LayerType.Conv or LayerType.ConvTranspose => "conv",
        LayerType.MaxPool or LayerType.AvgPool or LayerType.GlobalAvgPool or LayerType.GlobalMaxPool => "pool",
        LayerType.FullyConnected => "fc",
        LayerType.Add or LayerType.Mul or LayerType.Concat => "merge",
        _ => "other",
    };

    private static void Cuboid(StringBuilder s, Box b, string kind)
    {
        (string front, string top, string side) = Colors[kind];
        double x = b.X, y = b.Y, w = b.W, h = b.H, d = b.Depth;
        Polygon(s, top, (x, y), (x + d, y - d), (x + w + d, y - d), (x + w, y));
        Polygon(s, side, (x + w, y), (x + w + d, y - d), (x + w + d, y + h - d), (x + w, y + h));
        Polygon(s, front, (x, y), (x + w, y), (x + w, y + h), (x, y + h));
    }

    /// <summary>The filter or pooling window on the input volume's spatial face, and lines to the output it makes.</summary>
    private static void Window(StringBuilder s, PlacedNode from, PlacedNode to, LayerInfo l)
    {
        Shape input = l.Input;
        // At least 8 px each way, so that a 3×3 window on a 224×224 volume can still be seen.
        double ku = Math.Clamp((double)l.KernelWidth / Math.Max(1, input.Width), Math.Min(1, 8 / Math.Max(1, from.Box.Depth)), 1);
        double kv = Math.Clamp((double)l.KernelHeight / Math.Max(1, input.Height), Math.Min(1, 8 / Math.Max(1, from.Box.H)), 1);
        double u0 = 0.55 - ku / 2, v0 = 0.5 - kv / 2;
        var corners = new[] { from.Box.OnSide(u0, v0), from.Box.OnSide(u0 + ku, v0), from.Box.OnSide(u0 + ku, v0 + kv), from.Box.OnSide(u0, v0 + kv) };
        (double X, double Y) target = (to.Box.X + to.Box.W * 0.4, to.Box.Y + to.Box.H * 0.5);
        foreach ((double X, double Y) c in new[] { corners[0], corners[3] })
        {
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(c.X)}\" y1=\"{N(c.Y)}\" x2=\"{N(target.X)}\" y2=\"{N(target.Y)}\" stroke=\"#555\" stroke-width=\"0.8\" stroke-dasharray=\"3,2\"/>\n");
        }
        string color = l.Type == LayerType.Conv ? "#1f5f99" : "#a36a00";
        s.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(" ", corners.Select(c => N(c.X) + "," + N(c.Y)))}\" fill=\"{color}\" fill-opacity=\"0.6\" stroke=\"{color}\" stroke-width=\"1.2\"/>\n");
        s.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(target.X)}\" cy=\"{N(target.Y)}\" r=\"1.8\" fill=\"#333\"/>\n");
    }

    /// <summary>A skip edge: up from the source's top, over the row, down onto the target's top with an arrow.</summary>
    private static void Arc(StringBuilder s, DiagramLayout layout, PlacedNode from, PlacedNode to, int level)
    {
        double lift = 18 + level * DiagramLayout.ArcLevelHeight;
        double x1 = from.Box.CenterX, x2 = to.Box.CenterX - 3;
        double top1 = layout.RowMid[from.Row] - layout.MaxBoxHeight / 2 - 20;
        double top2 = layout.RowMid[to.Row] - layout.MaxBoxHeight / 2 - 20;
        double y1 = from.Box.Y - from.Box.Depth / 2, y2 = to.Box.Y - to.Box.Depth - 2;
        string d;
        if (from.Row == to.Row)
        {
            double over = top1 - lift;
            d = $"M{N(x1)},{N(y1)} L{N(x1)},{N(over + 8)} Q{N(x1)},{N(over)} {N(x1 + 8)},{N(over)} L{N(x2 - 8)},{N(over)} Q{N(x2)},{N(over)} {N(x2)},{N(over + 8)} L{N(x2)},{N(y2)}";
        }
        else
        {
            // Across a wrap: to the right edge of the source row, then in from the left of the target's.
            double over1 = top1 - lift, over2 = top2 - lift, right = layout.Width - DiagramLayout.Margin / 2, left = DiagramLayout.Margin / 2;
            d = $"M{N(x1)},{N(y1)} L{N(x1)},{N(over1)} L{N(right)},{N(over1)} M{N(left)},{N(over2)} L{N(x2)},{N(over2)} L{N(x2)},{N(y2)}";
        }
        s.Append(CultureInfo.InvariantCulture, $"<path class=\"skip\" d=\"{d}\" fill=\"none\" stroke=\"#8e44ad\" stroke-width=\"1.6\" marker-end=\"url(#arrow)\"/>\n");
    }

    private static void Polygon(StringBuilder s, string fill, params (double X, double Y)[] points) =>
        s.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(" ", points.Select(p => N(p.X) + "," + N(p.Y)))}\" fill=\"{fill}\" stroke=\"#333\" stroke-width=\"0.8\" stroke-linejoin=\"round\"/>\n");

    private static void Line(StringBuilder s, double x1, double y1, double x2, double y2, string stroke, bool arrow) =>
        s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"1.2\"{(arrow ? " marker-end=\"url(#arrow)\"" : "")}/>\n");

    private static void Text(StringBuilder s, double x, double y, string text, double size, string anchor, bool bold = false, string fill = "#111") =>
        s.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" text-anchor=\"{anchor}\" fill=\"{fill}\"{(bold ? " font-weight=\"bold\"" : "")}>{Escape(text)}</text>\n");

    private static string Escape(string text) => SecurityElement.Escape(text)!;

    private static string N(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
