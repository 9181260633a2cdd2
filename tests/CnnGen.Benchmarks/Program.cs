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
//   single-interleaved <id> ...  batch 1, one thread, CnnGen and ORT in turn on catalog ids (robust to a noisy machine)
//   first-run cnngen|ort  start-up cost: the MNIST LeNet's creation plus first inference, in a fresh process
//   matrix                the layer matrix of issue 11 only (same as --filter '*Matrix*'); each row checks agreement in its setup
//   transposed            transposed convolutions only (same as --filter '*Transposed*'): U-Net/DCGAN up-steps, CnnGen vs ONNX Runtime
//   models                whole models only (same as --filter '*WholeModels*'): the torchvision fixtures, CnnGen vs ONNX Runtime
//   full-models           the eight architectures at full width, 224×224, batch 1 (same as --filter '*FullModelsSingle*')
//   model-batch           every model, a batch on all cores vs ONNX Runtime given the batch as one tensor (--filter '*ModelBatch*')
//   model-cost            generated source size, generator time and first-call latency of every model
//   first-run model:<id>  the first Forward of one model in a fresh process (what model-cost runs)
//   shapes                the shape sweep only (same as --filter '*Shapes*'): layers of architectures outside the matrix, odd shapes
//   --fast                with --quick: iterations of 100 ms instead of 500 (for the 750 benchmarks of the matrix on a busy machine)
//   --rows <text>         with matrix, shapes, transposed, models, full-models, model-batch: only the rows (models) whose id contains the text (or one of its
//                         |-separated parts), e.g. --rows resnet18@224 or --rows "/features.1|/conv1" or --rows efficientnet
if (args.Contains("compile-cost"))
{
    return CompileCost.Run();
}
if (args.Contains("model-cost"))
{
    return ModelCost.Run();
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
if (args.Length > 0 && args[0] == "single-interleaved")
{
    return SingleInterleaved.Run(args.Skip(1));
}

int rowsAt = Array.IndexOf(args, "--rows");
if (rowsAt >= 0 && rowsAt + 1 < args.Length)
{
    Environment.SetEnvironmentVariable(Matrix.RowsVariable, args[rowsAt + 1]); // read by Matrix.Ids, here and in child processes
    args = [.. args[..rowsAt], .. args[(rowsAt + 2)..]];
}
bool quick = args.Contains("--quick");
bool inProcess = args.Contains("--inprocess");
string[] rest = [.. args.Where(a => a is not "--quick" and not "--inprocess" and not "matrix" and not "shapes" and not "transposed" and not "models" and not "full-models" and not "model-batch" and not "--fast")];
if (args.Contains("matrix"))
{
    rest = [.. rest, "--filter", "*Matrix*"];
}
else if (args.Contains("shapes"))
{
    rest = [.. rest, "--filter", "*Shapes*"];
}
else if (args.Contains("transposed"))
{
    rest = [.. rest, "--filter", "*Transposed*"];
}
else if (args.Contains("full-models"))
{
    rest = [.. rest, "--filter", "*FullModelsSingle*"];
}
else if (args.Contains("model-batch"))
{
    rest = [.. rest, "--filter", "*ModelBatch*"];
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
    .FromTypes([typeof(Peak), typeof(SingleThread), typeof(Batch), typeof(Layers), typeof(Matrix), typeof(Shapes), typeof(Transposed), typeof(WholeModels), typeof(FullModelsSingle), typeof(ModelBatch)])
    .Run(rest, config);
Report.Print([.. summaries], peak, string.Join(' ', args));
return 0;
