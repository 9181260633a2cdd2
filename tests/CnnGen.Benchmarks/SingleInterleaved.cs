using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace CnnGen.Benchmarks;

/// <summary>
/// Batch 1, one thread, CnnGen vs ONNX Runtime on chosen networks or layers, robust to a shared, noisy machine: the two
/// run in turn, round after round (each round a few calls), so a burst of load hits both alike. Prints the best and the
/// median round of each, and ORT's time over CnnGen's for both.
/// </summary>
public static class SingleInterleaved
{
    /// <summary>Runs the check on the catalog ids <paramref name="ids"/> (networks, layers or matrix rows).</summary>
    public static int Run(IEnumerable<string> ids)
    {
        Console.WriteLine("Interleaved single-thread check: batch 1, one thread, CnnGen and ONNX Runtime in turn each round; µs per call.");
        Console.WriteLine();
        Console.WriteLine("| Network | CnnGen best | CnnGen median | ORT best | ORT median | CnnGen vs ORT, best (median) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (string id in ids)
        {
            NetworkCase network = Catalog.Get(id);
            float[] parameters = network.CreateParameters();
            float[] input = network.CreateInputs();
            var output = new float[network.OutputLength];
            INetwork cnngen = network.CreateCnnGen(parameters);
            using var ort = new OrtRunner(network.ExportOnnx(parameters), network.Input, batch: 1, intraOpThreads: 1);
            input.CopyTo(ort.Input, 0);
            var variants = new (string Name, Action Run)[] { ("CnnGen", () => cnngen.Forward(input, output)), ("ORT", ort.Run) };
            // Calls per round: about 5 ms of work each.
            var probe = Stopwatch.StartNew();
            for (int i = 0; i < 20; i++)
            {
                cnngen.Forward(input, output);
                ort.Run();
            }
            int calls = Math.Max(1, (int)(5e-3 / (probe.Elapsed.TotalSeconds / 40)));
            var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
            var clock = Stopwatch.StartNew();
            int rounds = 0;
            while (rounds < 10 || (clock.Elapsed.TotalSeconds < 15 && rounds < 400))
            {
                foreach (var v in variants)
                {
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < calls; i++)
                    {
                        v.Run();
                    }
                    times[v.Name].Add(Stopwatch.GetElapsedTime(start).TotalSeconds * 1e6 / calls);
                }
                rounds++;
            }
            double Best(string name) => times[name].Min();
            double Median(string name) => times[name].OrderBy(t => t).ElementAt(times[name].Count / 2);
            Console.WriteLine($"| {id} | {Best("CnnGen"):F1} | {Median("CnnGen"):F1} | {Best("ORT"):F1} | {Median("ORT"):F1} | {Best("ORT") / Best("CnnGen"):F2}× ({Median("ORT") / Median("CnnGen"):F2}×) |");
        }
        return 0;
    }
}
