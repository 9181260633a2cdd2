using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CnnGen.Benchmarks;

/// <summary>Useful work of a benchmark case, in FLOPs (2 × multiply-adds from <see cref="LayerInfo.MultiplyAdds"/>).</summary>
public static class Work
{
    /// <summary>FLOPs per operation of <paramref name="benchmark"/>, or 0 if unknown.</summary>
    public static double Flops(BenchmarkCase benchmark)
    {
        if (benchmark.Descriptor.Type == typeof(Peak))
        {
            return Peak.Flops;
        }
        if (benchmark.Descriptor.Type == typeof(FullModelsSingle) || benchmark.Descriptor.Type == typeof(ModelBatch))
        {
            var model = (string)benchmark.Parameters["Model"];
            int items = benchmark.Descriptor.Type == typeof(ModelBatch) ? new ModelBatch { Model = model }.Size : 1;
            return ModelCatalog.Get(model).Flops * items;
        }
        if (benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "Network")?.Value is not string id)
        {
            return 0;
        }
        int batch = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "Size")?.Value is int size ? size : 1;
        return Catalog.Get(id).Flops * batch;
    }
}

/// <summary>GFLOP/s = 2 × multiply-adds / mean time.</summary>
public sealed class GflopsColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => "GFLOP/s";

    /// <inheritdoc/>
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Useful GFLOP/s: 2 × multiply-adds (LayerInfo.MultiplyAdds) per operation / mean time";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double flops = Work.Flops(benchmarkCase);
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return flops > 0 && mean is > 0 ? (flops / mean.Value).ToString("F2") : "-";
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Percentage of the single-thread FMA peak measured by this process at start-up.</summary>
public sealed class PeakPercentColumn(double peakGflops) : IColumn
{
    /// <inheritdoc/>
    public string Id => "% FMA peak";

    /// <inheritdoc/>
    public string ColumnName => "% 1-thread peak";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 1;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => $"GFLOP/s as a percentage of the single-thread FMA peak measured at start-up ({peakGflops:F1} GFLOP/s)";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double flops = Work.Flops(benchmarkCase);
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return flops > 0 && mean is > 0 ? (100 * flops / mean.Value / peakGflops).ToString("F1") + "%" : "-";
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
