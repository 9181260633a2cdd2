using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CnnGen;
using CnnGen.CrossPlatform.App;

// What the machine offers, then every network's output on its seeded input, one line each:
//   fact <name> <value>
//   output <network> <value> <value> …   (round-trip floats, invariant culture)
Fact("ProcessArchitecture", RuntimeInformation.ProcessArchitecture);
Fact("AdvSimd.IsSupported", System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported);
Fact("Avx2.IsSupported", System.Runtime.Intrinsics.X86.Avx2.IsSupported);
Fact("Avx512F.IsSupported", System.Runtime.Intrinsics.X86.Avx512F.IsSupported);
Fact("Vector128.IsHardwareAccelerated", Vector128.IsHardwareAccelerated);
Fact("Vector256.IsHardwareAccelerated", Vector256.IsHardwareAccelerated);
Fact("Vector512.IsHardwareAccelerated", Vector512.IsHardwareAccelerated);

foreach (CatalogEntry entry in NetworkCatalog.All)
{
    INetwork network = entry.Build();
    var output = new float[network.OutputLength];
    network.Forward(entry.Input(), output);
    Console.WriteLine("output " + entry.Name + " " + string.Join(" ", Array.ConvertAll(output, v => v.ToString("R", CultureInfo.InvariantCulture))));
}

static void Fact(string name, object value) => Console.WriteLine($"fact {name} {value}");
