using System;
using System.Diagnostics;
using System.IO;
using Mnist;

namespace CnnGen.Benchmarks;

/// <summary>
/// The <c>first-run cnngen|ort</c> mode: what an application pays before its first answer, measured
/// in a fresh process (run the mode once per measurement). CnnGen: the MNIST sample's LeNet (linked
/// from samples/Mnist) built from its embedded weights, then its first <c>Forward</c>; ONNX Runtime:
/// session creation from the same network's <c>lenet.onnx</c>, then its first <c>Run</c>. Both on one
/// zero image, one thread. The time since the process started includes the runtime's own start-up.
/// </summary>
internal static class FirstRun
{
    public static int Run(string engine)
    {
        long start = Stopwatch.GetTimestamp();
        long created, answered;
        float first;
        if (engine == "cnngen")
        {
            var network = new LeNet();
            created = Stopwatch.GetTimestamp();
            var output = new float[LeNet.OutputLength];
            network.Forward(new float[LeNet.InputLength], output);
            answered = Stopwatch.GetTimestamp();
            first = output[0];
        }
        else if (engine == "ort")
        {
            string model = Path.Combine(AppContext.BaseDirectory, "Mnist", "lenet.onnx");
            using var runner = new OrtRunner(File.ReadAllBytes(model), new Shape(LeNet.InputWidth, LeNet.InputHeight, LeNet.InputDepth), batch: 1, intraOpThreads: 1);
            created = Stopwatch.GetTimestamp();
            runner.Run();
            answered = Stopwatch.GetTimestamp();
            first = runner.Output[0];
        }
        else if (engine.StartsWith("model:", StringComparison.Ordinal))
        {
            // a model of ModelCatalog: its weights are made before the clock starts (an app would read a file)
            NetworkCase model = ModelCatalog.Get(engine["model:".Length..]);
            float[] parameters = model.CreateParameters();
            float[] input = model.CreateInputs();
            start = Stopwatch.GetTimestamp();
            INetwork network = model.CreateCnnGen(parameters);
            created = Stopwatch.GetTimestamp();
            var output = new float[network.OutputLength];
            network.Forward(input, output);
            answered = Stopwatch.GetTimestamp();
            first = output[0];
        }
        else
        {
            Console.Error.WriteLine("first-run: say which engine, cnngen, ort or model:<id>.");
            return 2;
        }
        double sinceProcessStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        Console.WriteLine($"{engine}: create {Milliseconds(created - start):F2} ms + first inference {Milliseconds(answered - created):F2} ms = {Milliseconds(answered - start):F2} ms; " +
                          $"{sinceProcessStart:F0} ms since the process started (output[0] = {first:G4})");
        return 0;
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
