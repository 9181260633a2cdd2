using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CnnGen.Benchmarks;

// Modes (see README.md):
//   (no arguments)        every benchmark, full measurement
//   --quick               every benchmark, BenchmarkDotNet's short run (3 warm-ups, 3 iterations)
//   --inprocess           run benchmarks in this process (no child build; for iterating)
//   --filter <glob> ...   any BenchmarkDotNet option, e.g. --filter *SingleThread*
//   compile-cost          generator time, generated sizes, incremental rerun
//   verify                check CnnGen, ONNX Runtime and the scalar loop agree on every network and layer
//   aot                   the issue-5 networks and three models, JIT vs NativeAOT with its default instruction set (--quick works)
//   peak                  measure the single-thread FMA peak only
//   batch-interleaved     batch scaling cross-check, variants run in turn (robust to a noisy machine)
//   first-run cnngen|ort  start-up cost: the MNIST LeNet's creation plus first inference, in a fresh process
//   matrix                the layer matrix of issue 11 only (same as --filter '*Matrix*'); each row checks agreement in its setup
//   models                whole models only (same as --filter '*WholeModels*'): the torchvision fixtures, CnnGen vs ONNX Runtime
//   --fast                with --quick: iterations of 100 ms instead of 500 (for the 170 benchmarks of the matrix on a busy machine)
if (args.Contains("compile-cost"))
{
    return CompileCost.Run();
}
if (args.Length == 2 && args[0] == "first-run")
{
    return FirstRun.Run(args[1]);
}
if (args.Contains("aot"))
{
    return NativeAotVsJit.Run(args.Contains("--quick"), [.. args.Where(a => a is not "aot" and not "--quick")]);
}

double peak = FmaPeak.MeasureGflops();
Console.WriteLine($"Single-thread FMA peak ({FmaPeak.Widest.Name}): {peak:F1} GFLOP/s measured in-process " +
                  $"(Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, {Environment.ProcessorCount} cores)");
if (args.Contains("peak"))
{
    return 0;
}

try
{
    foreach (NetworkCase network in Catalog.Networks.Concat(Catalog.Layers))
    {
        Agreement.Verify(network);
    }
    Console.WriteLine($"Agreement: CnnGen, ONNX Runtime and the scalar loop agree on all {Catalog.Networks.Length} networks and {Catalog.Layers.Length} layers " +
                      $"(worst error {100 * Agreement.WorstFraction:F1}% of the tolerance {Agreement.Relative:G} relative + {Agreement.Absolute:G} absolute).");
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
if (args.Contains("verify"))
{
    return 0;
}
if (args.Contains("batch-interleaved"))
{
    return Interleaved.Run();
}

bool quick = args.Contains("--quick");
bool inProcess = args.Contains("--inprocess");
string[] rest = [.. args.Where(a => a is not "--quick" and not "--inprocess" and not "matrix" and not "models" and not "--fast")];
if (args.Contains("matrix"))
{
    rest = [.. rest, "--filter", "*Matrix*"];
}
else if (args.Contains("models"))
{
    rest = [.. rest, "--filter", "*WholeModels*"];
}
else if (!rest.Contains("--filter"))
{
    rest = [.. rest, "--filter", "*"];
}

Job job = quick
    ? (args.Contains("--fast") ? Job.ShortRun.WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100)) : Job.ShortRun)
    : Job.Default.WithWarmupCount(6).WithIterationCount(20).WithMinIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150));
if (inProcess)
{
    job = job.WithToolchain(InProcessEmitToolchain.Instance);
}
IConfig config = DefaultConfig.Instance
    .AddJob(job.AsDefault())
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(new GflopsColumn(), new PeakPercentColumn(peak))
    .WithOptions(ConfigOptions.DisableLogFile);

IEnumerable<Summary> summaries = BenchmarkSwitcher
    .FromTypes([typeof(Peak), typeof(SingleThread), typeof(Batch), typeof(Layers), typeof(Matrix), typeof(WholeModels)])
    .Run(rest, config);
Report.Print([.. summaries], peak, string.Join(' ', args));
return 0;
