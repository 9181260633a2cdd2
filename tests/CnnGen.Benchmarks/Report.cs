using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;

namespace CnnGen.Benchmarks;

/// <summary>Prints the issue's table (ratios vs ONNX Runtime, GFLOP/s, % of peak) from the summaries of one run.</summary>
public static class Report
{
    private sealed record Row(string Type, string Method, string Network, double MeanNs, double MedianNs, double MinNs, double? Allocated, double Flops);

    /// <summary>Prints the tables and writes them to <c>BenchmarkDotNet.Artifacts/results/cnngen-summary.md</c>.</summary>
    public static void Print(IReadOnlyList<Summary> summaries, double hostPeak, string arguments)
    {
        var rows = new List<Row>();
        foreach (Summary summary in summaries)
        {
            foreach (BenchmarkReport report in summary.Reports)
            {
                if (report.ResultStatistics is null)
                {
                    continue;
                }
                var bc = report.BenchmarkCase;
                string network = bc.Parameters.Items.FirstOrDefault(p => p.Name is "Network" or "Model")?.Value as string ?? "";
                double? allocated = report.GcStats.GetBytesAllocatedPerOperation(bc);
                var st = report.ResultStatistics;
                rows.Add(new Row(bc.Descriptor.Type.Name, bc.Descriptor.WorkloadMethod.Name, network, st.Mean, st.Median, st.Min, allocated, Work.Flops(bc)));
            }
        }
        if (rows.Count == 0)
        {
            return;
        }

        var s = new StringBuilder();
        CultureInfo ci = CultureInfo.InvariantCulture;
        Row? peakRow = rows.FirstOrDefault(r => r.Type == nameof(Peak));
        double peak = peakRow is null ? hostPeak : Math.Max(hostPeak, peakRow.Flops / peakRow.MinNs);
        s.AppendLine(CultureInfo.InvariantCulture, $"Command arguments: `{arguments}`");
        string source = peakRow is null
            ? "best of 200 runs in-process at start-up"
            : string.Create(ci, $"the higher of: FMA benchmark best iteration {peakRow.Flops / peakRow.MinNs:F1} (mean {peakRow.Flops / peakRow.MeanNs:F1}), best of 200 runs at start-up {hostPeak:F1}");
        s.AppendLine(ci, $"Single-thread FMA peak ({FmaPeak.Widest.Name}): {peak:F1} GFLOP/s ({source})");
        s.AppendLine();

        string Us(double ns) => (ns / 1000).ToString(ns < 10_000 ? "F2" : ns < 100_000 ? "F1" : "F0", ci);
        string Bytes(double? b) => b is null ? "?" : b.Value.ToString("F0", ci);
        string Gf(Row r) => (r.Flops / r.MeanNs).ToString("F1", ci);
        string Pct(Row r) => (100 * r.Flops / r.MeanNs / peak).ToString("F0", ci) + "%";
        // The cells a single-layer row shares: times, the ratio (means, then medians), GFLOP/s of each.
        string LayerCells(Row? c, Row? o)
        {
            bool work = (c ?? o)!.Flops > 0;
            return $"{(c ?? o)!.Flops / 1e6:F2} | {(c is null ? "-" : Us(c.MeanNs))} | {(o is null ? "-" : Us(o.MeanNs))} | " +
                   $"{(c is null || o is null ? "-" : $"{(o.MeanNs / c.MeanNs).ToString("F2", ci)}× ({(o.MedianNs / c.MedianNs).ToString("F2", ci)}×)")} | " +
                   $"{(c is null || !work ? "-" : $"{Gf(c)} ({Pct(c)})")} | {(o is null || !work ? "-" : $"{Gf(o)} ({Pct(o)})")} |";
        }

        var single = rows.Where(r => r.Type == nameof(SingleThread)).ToList();
        if (single.Count > 0)
        {
            s.AppendLine("Batch 1, one thread (mean latency in µs; speed-up = ONNX Runtime time / CnnGen time, from means (from medians)):");
            s.AppendLine();
            s.AppendLine("| Network | MFLOP | CnnGen µs | ONNX Runtime µs | Scalar loop µs | CnnGen speed-up vs ORT | CnnGen GFLOP/s (% peak) | ORT GFLOP/s (% peak) | Scalar GFLOP/s | Allocated B/op CnnGen / ORT / scalar |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var g in single.GroupBy(r => r.Network))
            {
                Row? c = g.FirstOrDefault(r => r.Method == "CnnGen"), o = g.FirstOrDefault(r => r.Method == "Ort"), n = g.FirstOrDefault(r => r.Method == "Scalar");
                s.AppendLine(ci, $"| {g.Key} | {(c ?? o ?? n)!.Flops / 1e6:F2} | {(c is null ? "-" : Us(c.MeanNs))} | {(o is null ? "-" : Us(o.MeanNs))} | {(n is null ? "-" : Us(n.MeanNs))} | " +
                                 $"{(c is null || o is null ? "-" : $"{(o.MeanNs / c.MeanNs).ToString("F2", ci)}× ({(o.MedianNs / c.MedianNs).ToString("F2", ci)}×)")} | " +
                                 $"{(c is null ? "-" : $"{Gf(c)} ({Pct(c)})")} | {(o is null ? "-" : $"{Gf(o)} ({Pct(o)})")} | {(n is null ? "-" : Gf(n))} | " +
                                 $"{Bytes(c?.Allocated)} / {Bytes(o?.Allocated)} / {Bytes(n?.Allocated)} |");
            }
            s.AppendLine();
        }

        var batch = rows.Where(r => r.Type == nameof(Batch)).ToList();
        if (batch.Count > 0)
        {
            s.AppendLine(ci, $"Batch of 64 ({Environment.ProcessorCount} cores; images/s; ORT gets the batch as one N×C×H×W tensor):");
            s.AppendLine();
            s.AppendLine("| Network | CnnGen all cores | CnnGen 1 thread | CnnGen scaling | ORT all cores | ORT 1 thread | ORT scaling | CnnGen vs ORT (all cores) | Allocated B/op CnnGen all / ORT all |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var g in batch.GroupBy(r => r.Network))
            {
                double Rate(string method) => g.FirstOrDefault(r => r.Method == method) is { } r ? 64 / (r.MeanNs * 1e-9) : double.NaN;
                double ca = Rate("CnnGenAllCores"), c1 = Rate("CnnGenOneThread"), oa = Rate("OrtAllCores"), o1 = Rate("OrtOneThread");
                s.AppendLine(ci, $"| {g.Key} | {ca:F0} | {c1:F0} | {ca / c1:F2}× | {oa:F0} | {o1:F0} | {oa / o1:F2}× | {ca / oa:F2}× | " +
                                 $"{Bytes(g.FirstOrDefault(r => r.Method == "CnnGenAllCores")?.Allocated)} / {Bytes(g.FirstOrDefault(r => r.Method == "OrtAllCores")?.Allocated)} |");
            }
            s.AppendLine();
        }

        var layers = rows.Where(r => r.Type == nameof(Layers)).ToList();
        if (layers.Count > 0)
        {
            s.AppendLine("Layer by layer (each layer as its own network, one thread; Conv/FC include their fused ReLU/Softmax and the copy of the input):");
            s.AppendLine();
            s.AppendLine("| Layer | MFLOP | CnnGen µs | ONNX Runtime µs | CnnGen speed-up vs ORT | CnnGen GFLOP/s (% peak) | ORT GFLOP/s (% peak) |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var g in layers.GroupBy(r => r.Network))
            {
                Row? c = g.FirstOrDefault(r => r.Method == "CnnGen"), o = g.FirstOrDefault(r => r.Method == "Ort");
                s.AppendLine(ci, $"| {g.Key} | {LayerCells(c, o)}");
            }
            foreach (string net in layers.Select(r => r.Network.Split('/')[0]).Distinct())
            {
                var convs = layers.Where(r => r.Network.StartsWith(net + "/Conv", StringComparison.Ordinal)).ToList();
                foreach (string method in new[] { "CnnGen", "Ort" })
                {
                    var m = convs.Where(r => r.Method == method).ToList();
                    if (m.Count > 0)
                    {
                        double flops = m.Sum(r => r.Flops), ns = m.Sum(r => r.MeanNs);
                        s.AppendLine(ci, $"| **{net} conv layers, {(method == "Ort" ? "ONNX Runtime" : method)}** | {flops / 1e6:F2} | {Us(ns)} | | | {flops / ns:F1} ({100 * flops / ns / peak:F0}%) | |");
                    }
                }
            }
            s.AppendLine();
        }

        LayerTable(s, rows.Where(r => r.Type == nameof(Matrix)).ToList(), peak,
            "Layer matrix (issue 11): each layer shape as its own network, batch 1, one thread; Conv/FC include their fused ReLU; ratio = ONNX Runtime time / CnnGen time, from means (from medians):", LayerCells);
        LayerTable(s, rows.Where(r => r.Type == nameof(Shapes)).ToList(), peak,
            "Shape sweep: layers of architectures outside the matrix's models and odd shapes, each as its own network, batch 1, one thread; ratio = ONNX Runtime time / CnnGen time, from means (from medians):", LayerCells);

        LayerTable(s, rows.Where(r => r.Type == nameof(Transposed)).ToList(), peak,
            "Transposed convolutions: each as its own network, batch 1, one thread; ratio = ONNX Runtime time / CnnGen time, from means (from medians):", LayerCells);

        foreach (string type in new[] { nameof(WholeModels), nameof(FullModelsSingle), nameof(ModelBatch) })
        {
            ModelTable(s, type, rows.Where(r => r.Type == type).ToList(), peak);
        }

        string text = s.ToString();
        Console.WriteLine();
        Console.WriteLine(text);
        string path = Path.Combine("BenchmarkDotNet.Artifacts", "results", "cnngen-summary.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        Console.WriteLine($"Written to {Path.GetFullPath(path)}");
    }

    /// <summary>A table of single-layer rows (the matrix's or the shape sweep's): per row its input and <paramref name="cells"/> (both engines, the ratio), then the geometric mean and the groups.</summary>
    private static void LayerTable(StringBuilder s, List<Row> matrix, double peak, string title, Func<Row?, Row?, string> cells)
    {
        if (matrix.Count == 0)
        {
            return;
        }
        var ci = CultureInfo.InvariantCulture;
        s.AppendLine(title);
        s.AppendLine();
        s.AppendLine("| Layer | Input | MFLOP | CnnGen µs | ONNX Runtime µs | CnnGen vs ORT | CnnGen GFLOP/s (% peak) | ORT GFLOP/s (% peak) |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        var ratios = new List<double>();
        foreach (var g in matrix.GroupBy(r => r.Network))
        {
            Row? c = g.FirstOrDefault(r => r.Method == "CnnGen"), o = g.FirstOrDefault(r => r.Method == "Ort");
            Shape input = Catalog.Get(g.Key).Input;
            if (c is not null && o is not null)
            {
                ratios.Add(o.MeanNs / c.MeanNs);
            }
            s.AppendLine(ci, $"| {g.Key} | {input.Width}×{input.Height}×{input.Depth} | {cells(c, o)}");
        }
        if (ratios.Count > 0)
        {
            double geomean = Math.Exp(ratios.Average(Math.Log));
            s.AppendLine(ci, $"| **geometric mean of {ratios.Count} rows** | | | | | **{geomean:F2}×** | | |");
            s.AppendLine();
            s.AppendLine(ci, $"Rows at ≥ 1.0×: {ratios.Count(r => r >= 1)} of {ratios.Count}; slowest {ratios.Min():F2}×, fastest {ratios.Max():F2}×.");
            s.AppendLine();
            MatrixGroups(s, matrix, peak);
        }
        s.AppendLine();
    }

    /// <summary>
    /// Per model and input size (the part of a row's id before the slash): rows, geometric mean, rows ≥ 1.0×, and
    /// how many convs with ≥ 10 M multiply-adds reach 70% of the FMA peak (the issue's efficiency bar).
    /// </summary>
    private static void MatrixGroups(StringBuilder s, List<Row> matrix, double peak)
    {
        var ci = CultureInfo.InvariantCulture;
        s.AppendLine("| Group | Rows | Geometric mean vs ORT | Rows ≥ 1.0× | Slowest row | Convs ≥ 10 M multiply-adds at ≥ 70% of peak |");
        s.AppendLine("|---|---:|---:|---:|---|---:|");
        foreach (var group in matrix.GroupBy(r => r.Network.Split('/')[0]))
        {
            var pairs = group.GroupBy(r => r.Network)
                .Select(g => (Id: g.Key, C: g.FirstOrDefault(r => r.Method == "CnnGen"), O: g.FirstOrDefault(r => r.Method == "Ort")))
                .Where(p => p.C is not null && p.O is not null)
                .Select(p => (p.Id, Ratio: p.O!.MeanNs / p.C!.MeanNs, p.C))
                .ToList();
            if (pairs.Count == 0)
            {
                continue;
            }
            var heavy = pairs.Where(p => p.C.Flops >= 2e7 && Catalog.Get(p.Id).Layers[0].Type == LayerType.Conv).ToList();
            var slowest = pairs.MinBy(p => p.Ratio);
            s.AppendLine(ci, $"| {group.Key} | {pairs.Count} | {Math.Exp(pairs.Average(p => Math.Log(p.Ratio))):F2}× | {pairs.Count(p => p.Ratio >= 1)} | {slowest.Id.Split('/')[^1]} {slowest.Ratio:F2}× | {heavy.Count(p => p.C.Flops / p.C.MeanNs >= 0.7 * peak)} of {heavy.Count} |");
        }
        s.AppendLine();
    }

    /// <summary>One whole-model group: per model the two engines' mean times, the speed-up and CnnGen's share of the peak, then the geometric mean.</summary>
    private static void ModelTable(StringBuilder s, string type, List<Row> rows, double peak)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var ci = CultureInfo.InvariantCulture;
        string unit = type == nameof(ModelBatch) ? "ms per batch" : "µs";
        double Scale(double ns) => type == nameof(ModelBatch) ? ns / 1e6 : ns / 1e3;
        s.AppendLine(ci, $"{type} (ratio = ONNX Runtime time / CnnGen time, from means):");
        s.AppendLine();
        s.AppendLine(ci, $"| Model | ONNX Runtime {unit} | CnnGen {unit} | CnnGen vs ORT | CnnGen GFLOP/s (% 1-thread peak) |");
        s.AppendLine("|---|---:|---:|---:|---:|");
        var ratios = new List<double>();
        foreach (var g in rows.GroupBy(r => r.Network))
        {
            Row? o = g.FirstOrDefault(r => r.Method.StartsWith("Ort", StringComparison.Ordinal));
            Row? c = g.FirstOrDefault(r => r.Method.StartsWith("CnnGen", StringComparison.Ordinal));
            if (o is null || c is null)
            {
                continue;
            }
            ratios.Add(o.MeanNs / c.MeanNs);
            string gflops = c.Flops > 0 ? $"{c.Flops / c.MeanNs:F1} ({100 * c.Flops / c.MeanNs / peak:F0}%)" : "-";
            s.AppendLine(ci, $"| {g.Key} | {Scale(o.MeanNs):F2} | {Scale(c.MeanNs):F2} | {o.MeanNs / c.MeanNs:F2}× | {gflops} |");
        }
        if (ratios.Count > 0)
        {
            s.AppendLine(ci, $"| **geometric mean of {ratios.Count}** | | | **{Math.Exp(ratios.Average(Math.Log)):F2}×** (slowest {ratios.Min():F2}×) | |");
        }
        s.AppendLine();
    }
}
