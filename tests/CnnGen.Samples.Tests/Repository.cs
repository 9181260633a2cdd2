using System;
using System.IO;

namespace CnnGen.Samples.Tests;

/// <summary>The repository the tests were built from, and the <c>dotnet</c> command run inside it.</summary>
internal static class Repository
{
    /// <summary>The folder that holds CnnGen.sln, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Release or Debug); samples are published from the same build.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in the repository root; returns its exit code and everything it printed.</summary>
    public static (int Exit, string Output) Dotnet(params string[] arguments)
    {
        (int exit, string output, string error) = Execute("dotnet", Root, arguments);
        return (exit, output + error);
    }

    /// <summary>Runs a program to its end; returns its exit code, standard output and standard error.</summary>
    public static (int Exit, string Output, string Error) Execute(string program, string workingDirectory, params string[] arguments) =>
        CnnGen.Tests.ChildProcess.Run(program, workingDirectory, arguments);

    /// <summary>A new empty folder under the system's temporary folder.</summary>
    public static string CreateTemporaryFolder(string prefix)
    {
        string folder = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Deletes a temporary folder; one left behind is not a test failure.</summary>
    public static void DeleteTemporaryFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CnnGen.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find CnnGen.sln above " + AppContext.BaseDirectory);
    }
}
