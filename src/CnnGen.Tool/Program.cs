using System;
using System.CommandLine;
using System.IO;
using CnnGen.Tool;

var model = new Argument<FileInfo>("model") { Description = "The .onnx model to import." };
var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for the .cs and .weights files (default: the current folder)." };
var name = new Option<string>("--name") { Description = "Name of the generated class (default: from the model's file name)." };
var ns = new Option<string>("--namespace") { Description = "Namespace of the generated class (default: the global namespace)." };

var import = new Command("import", "Import a sequential CNN from ONNX: writes <Name>.cs (the network declared with CnnGen attributes) and <Name>.weights (raw little-endian float32 in constructor order), and prints the layers.")
{
    model, output, name, ns,
};
import.SetAction(result => ImportCommand.Run(
    result.GetValue(model)!,
    result.GetValue(output),
    result.GetValue(name),
    result.GetValue(ns),
    Console.Out,
    Console.Error));

var root = new RootCommand("cnngen: ONNX interop for CnnGen, the source generator for allocation-free CNN inference.") { import };
return root.Parse(args).Invoke();
