using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace CnnGen.Samples.Tests.CrossPlatform;

/// <summary>
/// tests/CnnGen.CrossPlatform.App published once per runtime and run once: self-contained for linux-x64,
/// run here, and self-contained for linux-arm64, run under Debian's user-mode emulator
/// (<c>qemu-aarch64-static -L /usr/aarch64-linux-gnu</c>, the sysroot <c>libc6-arm64-cross</c> installs).
/// The app is built without ICU (<c>InvariantGlobalization</c>), which is what
/// <c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1</c> would do: the sysroot has no libicu.
/// </summary>
public sealed class PublishedRuns
{
    /// <summary>Where libc6-arm64-cross and libstdc++6-arm64-cross install the Arm64 libraries.</summary>
    public const string Sysroot = "/usr/aarch64-linux-gnu";

    private const string Project = "tests/CnnGen.CrossPlatform.App/CnnGen.CrossPlatform.App.csproj";
    private const string AppName = "CnnGen.CrossPlatform.App";

    public PublishedRuns()
    {
        Assert.True(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64,
            $"This test publishes for linux-x64 and emulates linux-arm64: it needs an x64 Linux machine, not {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}.");
        string? qemu = FindOnPath("qemu-aarch64-static");
        string[] missing = new[]
            {
                (qemu is null, "qemu-user-static"),
                (!File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")), "libc6-arm64-cross"),
                (!File.Exists(Path.Combine(Sysroot, "lib", "libstdc++.so.6")), "libstdc++6-arm64-cross"),
            }
            .Where(p => p.Item1).Select(p => p.Item2).ToArray();
        Assert.True(missing.Length == 0,
            $"Running the Arm64 build needs the Debian packages {string.Join(", ", missing)} (qemu-aarch64-static and the Arm64 C and C++ libraries in {Sysroot}): "
            + $"apt-get install -y {string.Join(" ", missing)} (.ci/run installs them when missing).");

        X64 = PublishAndRun("linux-x64", folder => (Path.Combine(folder, AppName), Array.Empty<string>()));
        Arm64 = PublishAndRun("linux-arm64", folder => (qemu!, new[] { "-L", Sysroot, Path.Combine(folder, AppName) }));
    }

    /// <summary>The run on this x64 machine.</summary>
    public AppRun X64 { get; }

    /// <summary>The run under qemu-aarch64-static.</summary>
    public AppRun Arm64 { get; }

    /// <summary>Publishes the app self-contained for <paramref name="runtime"/>, checks the publish did not warn, runs it and parses what it printed.</summary>
    private static AppRun PublishAndRun(string runtime, Func<string, (string Program, string[] Arguments)> command)
    {
        string folder = Repository.CreateTemporaryFolder("cnngen-crossplatform-" + runtime);
        try
        {
            // The test build built the references; RestoreRecursive=false restores the app alone, leaving the
            // references' restore outputs as they are for the MNIST sample's publishes that may run meanwhile.
            (int exit, string log) = Repository.Dotnet("publish", Project, "-c", Repository.Configuration, "-o", folder,
                "-p:CrossPlatformRuntime=" + runtime, "-p:BuildProjectReferences=false", "-p:RestoreRecursive=false");
            Assert.True(exit == 0, $"dotnet publish for {runtime} failed:\n{log}");
            string[] warnings = log.Split('\n').Where(line => Regex.IsMatch(line, @"\bwarning\b", RegexOptions.IgnoreCase)).ToArray();
            Assert.True(warnings.Length == 0, $"dotnet publish for {runtime} warned:\n{string.Join("\n", warnings)}");

            (string program, string[] arguments) = command(folder);
            (int status, string printed, string errors) = Repository.Execute(program, folder, arguments);
            Assert.True(status == 0, $"The {runtime} build exited with {status}:\n{errors}\n{Head(printed)}");
            return AppRun.Parse(runtime, printed);
        }
        finally
        {
            Repository.DeleteTemporaryFolder(folder);
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static string Head(string text) => text.Length > 2000 ? text[..2000] + " …" : text;
}
