using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Onnx;
using CnnGen.Tool.Diagram;

namespace CnnGen.Tool;

/// <summary><c>cnngen diagram</c>: an <c>.onnx</c> model or a built assembly's <c>[Network]</c> classes → SVG.</summary>
public static class DiagramCommand
{
    /// <summary>Draws the network(s) and returns the exit code (<see cref="ImportCommand"/>'s codes).</summary>
    public static int Run(FileInfo input, FileInfo? output, string? className, TextWriter stdout, TextWriter stderr)
    {
        if (Directory.Exists(input.FullName))
        {
            stderr.WriteLine($"error: '{input.FullName}' is a directory; give an .onnx model or a built .dll.");
            return ImportCommand.BadArguments;
        }
        string extension = input.Extension.ToLowerInvariant();
        if (extension is not (".onnx" or ".dll" or ".exe"))
        {
            stderr.WriteLine($"error: '{input.Name}' is neither an .onnx model nor a built .dll.");
            return ImportCommand.BadArguments;
        }
        if (!input.Exists)
        {
            stderr.WriteLine($"error: '{input.FullName}' does not exist.");
            return ImportCommand.ImportFailed;
        }

        IReadOnlyList<NetworkDescription> networks;
        try
        {
            networks = extension == ".onnx" ? new[] { NetworkSource.FromOnnx(input) } : NetworkSource.FromAssembly(input);
        }
        catch (OnnxImportException e)
        {
            stderr.WriteLine($"error: {input.Name}: {e.Message}");
            return ImportCommand.ImportFailed;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException or TypeLoadException or System.Reflection.TargetInvocationException)
        {
            stderr.WriteLine($"error: cannot load '{input.Name}': {(e.InnerException ?? e).Message}");
            return ImportCommand.ImportFailed;
        }

        if (className is not null)
        {
            networks = networks.Where(n => n.Name == className || n.Name.EndsWith("." + className, StringComparison.Ordinal)).ToArray();
        }
        if (networks.Count == 0)
        {
            stderr.WriteLine(className is null
                ? $"error: '{input.Name}' has no [Network] class with a Layers property."
                : $"error: '{input.Name}' has no [Network] class named '{className}'.");
            return ImportCommand.ImportFailed;
        }
        bool toDirectory = output is null || Directory.Exists(output.FullName);
        if (networks.Count > 1 && !toDirectory)
        {
            stderr.WriteLine($"error: '{input.Name}' has {networks.Count} networks ({string.Join(", ", networks.Select(n => n.Name))}); choose one with --class or give a folder as --output.");
            return ImportCommand.BadArguments;
        }

        foreach (NetworkDescription network in networks)
        {
            string shortName = network.Name[(network.Name.LastIndexOf('.') + 1)..];
            string path = toDirectory
                ? Path.Combine(output?.FullName ?? Directory.GetCurrentDirectory(), shortName + ".svg")
                : output!.FullName;
            string svg = NetworkDiagram.ToSvg(shortName, network.Input, network.Layers);
            string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(temp, svg);
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                ImportCommand.TryDelete(temp);
                stderr.WriteLine($"error: cannot write '{path}': {e.Message}");
                return ImportCommand.WriteFailed;
            }
            stdout.WriteLine($"Wrote {path}");
        }
        return ImportCommand.Ok;
    }
}
