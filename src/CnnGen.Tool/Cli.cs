using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;

namespace CnnGen.Tool;

/// <summary>The <c>cnngen</c> command line: its commands, and exit code 2 for every usage error.</summary>
public static class Cli
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        Command root = Build(stdout, stderr);
        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in result.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }
            string command = result.CommandResult.Command == root ? "cnngen" : "cnngen " + result.CommandResult.Command.Name;
            stderr.WriteLine($"Run '{command} --help' for usage.");
            return ImportCommand.BadArguments;
        }
        return result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model to import." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for the .cs and .weights files (default: the current folder)." };
        var name = new Option<string>("--name") { Description = "Name of the generated class (default: from the model's file name)." };
        var ns = new Option<string>("--namespace") { Description = "Namespace of the generated class (default: the global namespace)." };
        var noEmbed = new Option<bool>("--no-embed-weights") { Description = "Write [Network] instead of [Network(Weights = \"<Name>.weights\")]: the class then takes its weights in the constructor instead of embedding the file." };
        var import = new Command("import", "Import a CNN graph from ONNX: writes <Name>.cs (the network declared with CnnGen attributes, [Network(Weights = \"<Name>.weights\")]) and <Name>.weights (raw little-endian float32 in constructor order), and prints the layers.")
        {
            model, output, name, ns, noEmbed,
        };
        import.SetAction(r => ImportCommand.Run(r.GetValue(model)!, r.GetValue(output), r.GetValue(name), r.GetValue(ns), stdout, stderr, !r.GetValue(noEmbed)));

        var source = new Argument<FileInfo>("input") { Description = "An .onnx model, or a built .dll whose [Network] classes are drawn from their Layers." };
        var svg = new Option<FileInfo>("--output", "-o") { Description = "The .svg file to write, or a folder for <Name>.svg (default: <Name>.svg in the current folder)." };
        var className = new Option<string>("--class") { Description = "Which [Network] class of the assembly to draw (default: all)." };
        var diagram = new Command("diagram", "Draw a network as an SVG: each activation volume a 3-D box (W×H×D), each conv or pool window with its size and stride, parameters and multiply-adds, skip connections as arcs.")
        {
            source, svg, className,
        };
        diagram.SetAction(r => DiagramCommand.Run(r.GetValue(source)!, r.GetValue(svg), r.GetValue(className), stdout, stderr));

        // A plain command named "cnngen", not RootCommand (named after the executable, CnnGen.Tool, or the test host).
        return new Command("cnngen", "cnngen: ONNX import and network diagrams for CnnGen, the source generator for allocation-free CNN inference.\nExit codes: 0 success, 1 the input cannot be read or imported, 2 wrong arguments, 3 the output cannot be written.")
        {
            new HelpOption(), new VersionOption(), import, diagram,
        };
    }
}
