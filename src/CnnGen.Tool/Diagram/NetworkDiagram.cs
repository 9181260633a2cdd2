using System.Collections.Generic;

namespace CnnGen.Tool.Diagram;

/// <summary>Entry point of the diagram code: layers in, SVG text out.</summary>
public static class NetworkDiagram
{
    /// <summary>
    /// The SVG of a network: <paramref name="title"/>, the <paramref name="input"/> volume and the
    /// <paramref name="layers"/> (a generated class's <c>Layers</c>, or an ONNX import's).
    /// </summary>
    public static string ToSvg(string title, Shape input, IReadOnlyList<LayerInfo> layers) =>
        SvgDiagramWriter.Write(DiagramLayout.Build(DiagramGraph.Build(title, input, layers)));

    /// <summary>The SVG of a generated network from its static <c>Layers</c> alone.</summary>
    public static string ToSvg(string title, IReadOnlyList<LayerInfo> layers) =>
        ToSvg(title, NetworkDescription.InputOf(layers), layers);
}
