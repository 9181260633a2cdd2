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
    /// <param name="model">The .onnx file.</param>
    /// <param name="outputDirectory">Where to write; the current folder when null.</param>
    /// <param name="className">The class name; from the file name when null.</param>
    /// <param name="ns">The namespace, or null for the global one.</param>
    /// <param name="stdout">Where the layer table goes.</param>
    /// <param name="stderr">Where errors and warnings go.</param>
    /// <param name="embedWeights">Declare <c>[Network(Weights = "&lt;Name&gt;.weights")]</c> (the default), so the build embeds the weights; otherwise <c>[Network]</c>.</param>
    public static int Run(FileInfo model, DirectoryInfo? outputDirectory, string? className, string? ns, TextWriter stdout, TextWriter stderr, bool embedWeights = true)
    {
        if (Directory.Exists(model.FullName))
        {
            stderr.WriteLine($"error: '{model.FullName}' is a directory; give the .onnx model file.");
            return BadArguments;
        }
        if (outputDirectory is not null && File.Exists(outputDirectory.FullName))
        {
            stderr.WriteLine($"error: the output directory '{outputDirectory.FullName}' is an existing file; give a folder with --output.");
            return BadArguments;
        }
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
        string source = CSharpNetworkWriter.Write(network, className, ns, weightsName, embedWeights);
        byte[] weights = new byte[network.Parameters.Length * 4];
        for (int i = 0; i < network.Parameters.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(weights.AsSpan(i * 4), network.Parameters[i]);
        }

        string csPath = Path.Combine(directory, className + ".cs");
        string weightsPath = Path.Combine(directory, weightsName);
        try
        {
            Directory.CreateDirectory(directory);
            WriteBoth((csPath, System.Text.Encoding.UTF8.GetBytes(source)), (weightsPath, weights));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            stderr.WriteLine($"error: cannot write to '{directory}': {e.Message}");
            stderr.WriteLine("No files were changed.");
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
        if (embedWeights)
        {
            stdout.WriteLine($"Add <AdditionalFiles Include=\"{weightsName}\" /> to the project: the build embeds the weights, and new {className}() loads them.");
        }
        return Ok;
    }

    /// <summary>
    /// Writes the files all or nothing: each to a temporary name first; existing files are set aside
    /// and put back if any move fails, so a failure leaves the folder as it was.
    /// </summary>
    internal static void WriteBoth(params (string Path, byte[] Bytes)[] files)
    {
        string suffix = ".tmp-" + Guid.NewGuid().ToString("N");
        var done = new System.Collections.Generic.List<(string Path, string? Backup)>();
        try
        {
            foreach ((string path, byte[] bytes) in files)
            {
                if (Directory.Exists(path))
                {
                    throw new IOException($"'{path}' is a directory.");
                }
                File.WriteAllBytes(path + suffix, bytes);
            }
            foreach ((string path, _) in files)
            {
                string? backup = null;
                if (File.Exists(path))
                {
                    backup = path + suffix + ".old";
                    File.Move(path, backup);
                }
                done.Add((path, backup));
                File.Move(path + suffix, path);
            }
        }
        catch
        {
            foreach ((string path, string? backup) in done)
            {
                TryDelete(path);
                if (backup is not null)
                {
                    try
                    {
                        File.Move(backup, path, overwrite: true);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
            foreach ((string path, _) in files)
            {
                TryDelete(path + suffix);
            }
            throw;
        }
        foreach ((_, string? backup) in done)
        {
            if (backup is not null)
            {
                TryDelete(backup);
            }
        }
    }

    internal static void TryDelete(string path)
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
