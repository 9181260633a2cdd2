using System;
using System.Buffers.Binary;
using System.IO;
using CnnGen.Onnx;

namespace CnnGen.Tool;

/// <summary><c>cnngen import</c>: ONNX model → C# declaration + weights file + report, all or nothing.</summary>
public static class ImportCommand
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The model cannot be imported (unreadable, not ONNX, or something CnnGen cannot represent).</summary>
    public const int ImportFailed = 1;

    /// <summary>The arguments are wrong (e.g. a class name that is not a C# identifier).</summary>
    public const int BadArguments = 2;

    /// <summary>The output files could not be written.</summary>
    public const int WriteFailed = 3;

    /// <summary>Runs the import and returns the exit code. Writes either both files or neither.</summary>
    public static int Run(FileInfo model, DirectoryInfo? outputDirectory, string? className, string? ns, TextWriter stdout, TextWriter stderr)
    {
        className ??= CSharpNetworkWriter.ClassNameFrom(model.Name);
        if (!CSharpNetworkWriter.IsIdentifier(className))
        {
            stderr.WriteLine($"error: '{className}' is not a valid C# class name; pass one with --name.");
            return BadArguments;
        }
        if (!string.IsNullOrEmpty(ns) && !Array.TrueForAll(ns.Split('.'), CSharpNetworkWriter.IsIdentifier))
        {
            stderr.WriteLine($"error: '{ns}' is not a valid C# namespace.");
            return BadArguments;
        }

        ImportedNetwork network;
        try
        {
            network = OnnxImporter.ImportFile(model.FullName, new OnnxImportOptions { SourceName = model.Name });
        }
        catch (OnnxImportException e)
        {
            stderr.WriteLine($"error: {model.Name}: {e.Message}");
            stderr.WriteLine("No files were written.");
            return ImportFailed;
        }

        string directory = (outputDirectory ?? new DirectoryInfo(Directory.GetCurrentDirectory())).FullName;
        string weightsName = className + ".weights";
        string source = CSharpNetworkWriter.Write(network, className, ns, weightsName);
        byte[] weights = new byte[network.Parameters.Length * 4];
        for (int i = 0; i < network.Parameters.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(weights.AsSpan(i * 4), network.Parameters[i]);
        }

        string csPath = Path.Combine(directory, className + ".cs");
        string weightsPath = Path.Combine(directory, weightsName);
        string suffix = ".tmp-" + Guid.NewGuid().ToString("N");
        string csTemp = csPath + suffix, weightsTemp = weightsPath + suffix;
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(csTemp, source);
            File.WriteAllBytes(weightsTemp, weights);
            File.Move(weightsTemp, weightsPath, overwrite: true);
            File.Move(csTemp, csPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            TryDelete(csTemp);
            TryDelete(weightsTemp);
            stderr.WriteLine($"error: cannot write to '{directory}': {e.Message}");
            return WriteFailed;
        }

        foreach (string warning in network.Warnings)
        {
            stderr.WriteLine($"warning: {warning}");
        }
        ModelSummary m = network.Model;
        stdout.WriteLine($"{model.Name}: ONNX opset {m.Opset}{(m.ProducerName.Length > 0 ? $", from {m.ProducerName} {m.ProducerVersion}".TrimEnd() : "")}");
        stdout.Write(LayerTable.Format(network));
        stdout.WriteLine($"Wrote {csPath}");
        stdout.WriteLine($"Wrote {weightsPath}");
        return Ok;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
