using System.Collections.Generic;
using System.Diagnostics;

namespace CnnGen.Tests;

/// <summary>
/// Runs a program to its end and collects what it printed: the one way the test projects start
/// <c>dotnet</c> and published binaries (linked into each project that needs it).
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/> in <paramref name="workingDirectory"/>; returns its exit code, standard output and standard error.</summary>
    public static (int Exit, string Output, string Error) Run(string program, string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using Process process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }
}
