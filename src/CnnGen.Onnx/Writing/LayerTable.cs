using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CnnGen.Onnx;

/// <summary>A plain-text table of an imported network's layers, for terminals and logs.</summary>
public static class LayerTable
{
    /// <summary>One line per layer (name, shapes, parameters, multiply-adds, ONNX nodes, and what it reads unless that is just the layer before) and a total.</summary>
    public static string Format(ImportedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var rows = new List<string[]> { new[] { "Layer", "In", "Out", "Params", "Mult-adds", "ONNX nodes" } };
        rows.Add(new[] { "Input", "", network.Input.ToString(), "", "", network.Model.InputName });
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerInfo l = network.Layers[i];
            rows.Add(new[]
            {
                l.Name, l.Input.ToString(), l.Output.ToString(),
                l.ParameterCount.ToString("N0", CultureInfo.InvariantCulture),
                l.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture),
                network.Origins[i] + Reads(network.Layers, i),
            });
        }
        int[] widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var b = new StringBuilder();
        foreach (string[] row in rows)
        {
            for (int c = 0; c < 5; c++)
            {
                bool number = c is 3 or 4;
                b.Append(number ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c])).Append("  ");
            }
            b.Append(row[5]).Append('\n');
        }
        long multiplyAdds = network.Layers.Sum(l => l.MultiplyAdds);
        b.Append(string.Format(
            CultureInfo.InvariantCulture,
            "{0:N0} parameters ({1:N0} bytes of float32), {2:N0} multiply-adds per inference.\n",
            network.Parameters.Length, network.Parameters.Length * 4L, multiplyAdds));
        return b.ToString();
    }

    /// <summary><c>  (reads Relu4, Conv20)</c> for a layer that reads anything but the layer before it; empty otherwise.</summary>
    private static string Reads(IReadOnlyList<LayerInfo> layers, int index)
    {
        IReadOnlyList<string> inputs = LayerInfo.InputsOf(layers, index);
        string previous = index == 0 ? LayerInfo.NetworkInput : layers[index - 1].Name;
        return inputs.Count == 1 && inputs[0] == previous ? "" : "  (reads " + string.Join(", ", inputs) + ")";
    }
}
