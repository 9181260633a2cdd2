using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace CnnGen.Benchmarks;

/// <summary>
/// A cross-check of the batch benchmark that is robust to a shared, noisy machine: the variants run
/// in turn, round after round, so a burst of load from other processes hits all of them alike.
/// Prints median and best times per variant.
/// </summary>
public static class Interleaved
{
    /// <summary>Runs the check on networks 3 and 4 with a batch of <paramref name="size"/>.</summary>
    public static int Run(int size = 64)
    {
        Console.WriteLine($"Interleaved batch check: batch of {size}, {Environment.ProcessorCount} cores, variants in turn each round; images/s from the median (best) round.");
        Console.WriteLine();
        Console.WriteLine("| Network | CnnGen all cores | CnnGen 1 thread | CnnGen scaling | ORT all cores | ORT 1 thread | ORT scaling | CnnGen vs ORT, all cores |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string id in new[] { "3-cifar", "4-vgg" })
        {
            NetworkCase network = Catalog.Get(id);
            float[] parameters = network.CreateParameters();
            float[] inputs = network.CreateInputs(size);
            var outputs = new float[size * network.OutputLength];
            INetwork cnngen = network.CreateCnnGen(parameters);
            byte[] model = network.ExportOnnx(parameters);
            using var ortAll = new OrtRunner(model, network.Input, size, Environment.ProcessorCount);
            using var ortOne = new OrtRunner(model, network.Input, size, 1);
            inputs.CopyTo(ortAll.Input, 0);
            inputs.CopyTo(ortOne.Input, 0);
            var variants = new (string Name, Action Run)[]
            {
                ("CnnGen all", () => NetworkBatch.Forward(cnngen, inputs, outputs)),
                ("CnnGen 1", () => NetworkBatch.Forward(cnngen, inputs, outputs, 1)),
                ("ORT all", ortAll.Run),
                ("ORT 1", ortOne.Run),
            };
            foreach (var v in variants)
            {
                v.Run();
                v.Run();
            }
            var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
            var clock = Stopwatch.StartNew();
            int rounds = 0;
            while (rounds < 5 || (clock.Elapsed.TotalSeconds < 20 && rounds < 60))
            {
                foreach (var v in variants)
                {
                    long start = Stopwatch.GetTimestamp();
                    v.Run();
                    times[v.Name].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                }
                rounds++;
            }
            string Rate(string name, out double median)
            {
                var t = times[name].Order().ToList();
                median = size / t[t.Count / 2];
                return $"{median:F0} ({size / t[0]:F0})";
            }
            string ca = Rate("CnnGen all", out double mca), c1 = Rate("CnnGen 1", out double mc1);
            string oa = Rate("ORT all", out double moa), o1 = Rate("ORT 1", out double mo1);
            Console.WriteLine($"| {id} ({rounds} rounds) | {ca} | {c1} | {mca / mc1:F2}× | {oa} | {o1} | {moa / mo1:F2}× | {mca / moa:F2}× |");
        }
        return 0;
    }
}
